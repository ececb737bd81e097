/**
 * The record page in a real headless Chromium (Debian's, driven by playwright-core): the as-of box
 * in a New York browser reads the zone the page shows; the restore dialog previews what changes
 * and the timeline offers no restore of a delete or of the current version; a restore says which
 * version it came from; hidden characters in actors, reasons and keys are shown escaped; the
 * page scrolls to the JSON and diff asked for; a changed 60 KB string stays within the window with
 * its changed words marked. Writes the screenshots the README shows.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type FreshBrowser } from '../support/chromium.js';
import { NOTES_CTX, startStudioFixture, type StudioFixture } from './studio-fixture.js';

// The README's screenshots are taken by this suite; they are written into docs/ only when asked
// (CHRONOS_UPDATE_SCREENSHOTS=1), so a test run leaves the working tree as it found it.
const DOCS = process.env.CHRONOS_UPDATE_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs') : tmpdir();
const missing = chromiumMissing();
const SLOW = { timeout: 15_000 };
const NOTE = { noteId: 'P-1', status: 'draft', priority: 1, body: '' } as const;
const AUTHORS_CTX = { databaseType: 'metadata', tier: 'tenant', tenantId: 'acme', collection: 'authors' } as const;

describe.skipIf(missing !== undefined)('the record page in a browser', () => {
  let f: StudioFixture;
  let utc: FreshBrowser;
  let newYork: FreshBrowser;
  /** Versions: 0 create, 1 update, 2 update (title one, two, three). */
  let previewId: string;
  /** Versions: 0 create, 1 update, 2 delete, 3 restore of v1. */
  let deletedBetweenId: string;
  /** Versions: 0 create, 1 delete (deleted now). */
  let deletedNowId: string;
  let bidiId: string;
  let bigId: string;
  /** A metadata record, and a runtime note derived from it. */
  let authorId: string;
  let fromAuthorId: string;

  beforeAll(async () => {
    [f, utc, newYork] = await Promise.all([
      startStudioFixture({ write: true }),
      launchChromium({ viewport: { width: 1400, height: 900 } }),
      launchChromium({ timezoneId: 'America/New_York' }),
    ]);
    const ops = f.chronos.with(NOTES_CTX);
    ({ id: previewId } = await ops.create({ ...NOTE, title: 'one' }, 'alice', 'start'));
    await ops.update(previewId, { ...NOTE, title: 'two', status: 'published' }, 0, 'bob', 'publish');
    await ops.update(previewId, { ...NOTE, title: 'three', status: 'published' }, 1, 'carol', 'retitle');
    ({ id: deletedBetweenId } = await ops.create({ ...NOTE, title: 'kept' }));
    await ops.update(deletedBetweenId, { ...NOTE, title: 'kept, edited' }, 0);
    await ops.delete(deletedBetweenId, 1, 'dave', 'cleanup');
    await ops.restoreObject(deletedBetweenId, { ov: 1 }, 'dave', 'undo cleanup');
    ({ id: deletedNowId } = await ops.create({ ...NOTE, title: 'gone' }));
    await ops.delete(deletedNowId, 0);
    ({ id: bidiId } = await ops.create({ ...NOTE, title: 'bidi', ['na\u202eme']: 'x' }, 'admin\u202etoor', 'ok\u200bay'));
    const words = Array.from({ length: 10_000 }, (_, i) => `word${i % 10}`).join(' ');
    ({ id: bigId } = await ops.create({ ...NOTE, title: 'big', body: words }));
    await ops.update(bigId, { ...NOTE, title: 'big', body: words.replace('word5 word6 word7', 'word5 CHANGED word7') }, 0);
    ({ id: authorId } = await f.chronos.with(AUTHORS_CTX).create({ name: 'Ada' }));
    ({ id: fromAuthorId } = await ops.create({ ...NOTE, title: 'by Ada' }, 'alice', 'derived', { parentRecord: { id: authorId, collection: 'authors' } }));
    await f.chronos.admin.flush();
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([utc?.close(), newYork?.close(), f?.close()]);
  });

  async function openRecord(browser: FreshBrowser, id: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(f.studio.url);
    await page.goto(`${f.studio.origin}/#/r?${new URLSearchParams({ ...NOTES_CTX, id })}`);
    await page.locator('#timeline tbody tr').first().waitFor();
    await page.locator('#json-box pre').waitFor();
    return page;
  }

  const timeOf = (page: Page, ov: number) => page.locator(`#timeline tr[data-ov="${ov}"] td.time`).textContent() as Promise<string>;

  async function showAsOf(page: Page, text: string): Promise<string> {
    // Empty the box first, and wait for an as-of heading: the page's own first fill (the latest
    // version, after a redraw) may still land in the box before this request's answer does.
    await page.evaluate(`document.getElementById('json-box').replaceChildren()`);
    await page.locator('input[name="at"]').fill(text);
    await page.locator('#asof-form button[type="submit"]').click();
    await expect.poll(async () => ((await page.locator('#json-box h3').count()) === 1 ? page.locator('#json-box h3').textContent() : ''), SLOW).toMatch(/^As of /);
    return (await page.locator('#json-box h3').textContent()) as string;
  }

  it('in a New York browser reads the as-of time in the zone the page shows, UTC or local', async () => {
    const page = await openRecord(newYork, f.noteId);
    expect(await page.evaluate<string>('Intl.DateTimeFormat().resolvedOptions().timeZone')).toBe('America/New_York');
    const shownUtc = await timeOf(page, 1);
    expect(shownUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await page.locator('#asof-zone').textContent()).toBe('read as UTC');
    // Typed as shown (without the Z): read as UTC, not as New York time five hours later.
    expect(await showAsOf(page, shownUtc.slice(0, -1))).toContain('(version 1)');
    expect(await page.locator('#json-box pre').textContent()).toContain('"First, edited"');

    await page.locator('#zone-select').selectOption('local');
    await expect.poll(() => timeOf(page, 1), SLOW).toMatch(/-05:00$/);
    const shownLocal = await timeOf(page, 1);
    expect(new Date(shownLocal).toISOString()).toBe(shownUtc);
    expect(await page.locator('#asof-zone').textContent()).toContain('America/New_York');
    expect(await page.locator('.record-title + p').textContent()).toMatch(/created \S+-05:00/);
    expect(await showAsOf(page, shownLocal.slice(0, -6))).toContain('(version 1)');
    // A time with its own offset means that instant, whatever the page's zone.
    expect(await showAsOf(page, shownUtc)).toContain('(version 1)');
    await page.locator('#zone-select').selectOption('utc');
    await page.close();
  });

  it('previews a restore as a diff of the current version and the chosen one, and records where it came from', async () => {
    const page = await openRecord(utc, previewId);
    expect(await page.locator('#timeline tr[data-ov="2"] [data-restore]').count()).toBe(0);
    expect(await page.locator('#timeline tr[data-ov="2"] td.row-actions').textContent()).toContain('current');
    await page.locator('[data-restore="0"]').click();
    const dialog = page.locator('#restore-dialog');
    await dialog.locator('#restore-diff tr[data-path="title"]').waitFor(SLOW);
    expect(await dialog.locator('h4').textContent()).toBe('What changes: v2 (current) → v0');
    expect(await dialog.locator('#restore-diff tr[data-path="title"] td').allTextContents()).toEqual(['changed', 'title', '"three"', '"one"']);
    expect(await dialog.locator('#restore-diff tr[data-path="status"] td').allTextContents()).toEqual(['changed', 'status', '"published"', '"draft"']);
    expect(await dialog.locator('#restore-diff tr[data-path^="_system"]').count()).toBe(0);
    await page.screenshot({ path: resolve(DOCS, 'studio-restore-preview.png') });
    await dialog.locator('input[name="reason"]').fill('back to the first title');
    await dialog.locator('#confirm-restore').click();
    await expect.poll(() => page.locator('#status').textContent(), SLOW).toContain('Restored version 0 as new version 3');
    expect(await page.locator('#timeline tr[data-ov="3"] .kind').textContent()).toBe('restored v0');
    const log = await f.chronos.admin.versionLog(NOTES_CTX, previewId, { limit: 1 });
    expect(log.items[0]).toMatchObject({ ov: 3, kind: 'restore', restoredFrom: 0, actor: 'studio' });
    await page.close();
  });

  it('offers no restore of a delete, and the server refuses one sent anyway', async () => {
    const page = await openRecord(utc, deletedBetweenId);
    expect(await page.locator('#timeline tr[data-ov="2"] .kind').textContent()).toBe('delete');
    expect(await page.locator('#timeline tr[data-ov="2"] [data-restore]').count()).toBe(0);
    expect(await page.locator('#timeline tr[data-ov="2"] [data-no-restore]').textContent()).toBe('a delete');
    expect(await page.locator('#timeline tr[data-ov="3"] .kind').textContent()).toBe('restored v1');
    // The page's own session and headers, as a script on the page would send them.
    const body = JSON.stringify({ ...NOTES_CTX, id: deletedBetweenId, ov: 2, expectedOv: 3, reason: 'delete again' });
    const answer = await page.evaluate<{ status: number; error: string }>(`(async () => {
      const session = await (await fetch('/api/session')).json();
      const res = await fetch('/api/restore', { method: 'POST', headers: { 'content-type': 'application/json', 'x-chronos-csrf': session.csrf }, body: ${JSON.stringify(body)} });
      return { status: res.status, error: (await res.json()).error };
    })()`);
    expect(answer.status).toBe(400);
    expect(answer.error).toContain('version 2 is a delete');
    expect((await f.chronos.with(NOTES_CTX).history(deletedBetweenId)).length).toBe(4);
    await page.close();
  });

  it('restores a deleted record from the version before its delete, saying it brings it back', async () => {
    const page = await openRecord(utc, deletedNowId);
    expect(await page.locator('#timeline tr[data-ov="1"] [data-restore]').count()).toBe(0);
    await page.locator('[data-restore="0"]').click();
    const dialog = page.locator('#restore-dialog');
    expect(await dialog.textContent()).toContain('The record is deleted now: this brings it back.');
    await dialog.locator('input[name="reason"]').fill('undelete');
    await dialog.locator('#confirm-restore').click();
    await expect.poll(() => page.locator('#status').textContent(), SLOW).toContain('as new version 2');
    expect(await f.chronos.with(NOTES_CTX).getLatest(deletedNowId)).toMatchObject({ title: 'gone', _system: { ov: 2, deleted: false } });
    await page.close();
  });

  it('shows bidi and invisible characters in actors, reasons and keys escaped', async () => {
    const page = await openRecord(utc, bidiId);
    const row = page.locator('#timeline tr[data-ov="0"]');
    expect(await row.locator('td.actor').textContent()).toBe('admin\\u202etoor');
    expect(await row.locator('td.actor .esc').count()).toBe(1);
    expect(await row.locator('td.reason').textContent()).toBe('ok\\u200bay');
    const json = (await page.locator('#json-box pre').textContent()) as string;
    expect(json).toContain('"na\\u202eme"');
    expect(json).not.toMatch(/[\u202e\u200b]/);
    await page.close();
  });

  it('scrolls to the JSON and the diff that were asked for, and marks the picked versions', async () => {
    const page = await openRecord(utc, f.noteId);
    const topOf = (selector: string) => page.evaluate<number>(`document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect().top`);
    const height = await page.evaluate<number>('window.innerHeight');
    await page.locator('#timeline tr[data-ov="0"] [data-json]').click();
    await expect.poll(() => page.locator('#json-box h3').textContent(), SLOW).toBe('Version 0');
    await expect.poll(() => page.evaluate<number>('window.scrollY'), SLOW).toBeGreaterThan(0);
    expect(await topOf('#data-section')).toBeGreaterThanOrEqual(0);
    expect(await topOf('#data-section')).toBeLessThan(height);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.locator('#timeline tr[data-ov="1"] input[name="a"]').check();
    expect(await page.locator('#timeline tr[data-ov="1"]').getAttribute('class')).toContain('sel-a');
    expect(await page.locator('#timeline tr.sel-b').getAttribute('data-ov')).toBe('3');
    await page.locator('#compare').click();
    await expect.poll(() => page.locator('#diff .diff-summary').textContent(), SLOW).toContain('v1 → v3');
    // _system is hidden until asked for.
    expect(await page.locator('#diff tr[data-path^="_system"]').count()).toBe(0);
    await page.locator('#diff input[name="hide-system"]').uncheck();
    await expect.poll(() => page.locator('#diff tr[data-path="_system.ov"]').count(), SLOW).toBe(1);
    await page.locator('#diff input[name="hide-system"]').check();
    await expect.poll(() => page.locator('#diff tr[data-path^="_system"]').count(), SLOW).toBe(0);
    // Scrolled so the diff starts at the top of the window.
    await expect.poll(() => topOf('#diff-section').then(Math.abs), SLOW).toBeLessThan(5);
    await page.close();
  });

  it('keeps a changed 60 KB string within the window, folded, with the changed word marked', async () => {
    const page = await openRecord(utc, bigId);
    await page.locator('#diff tr[data-path="body"]').waitFor(SLOW);
    const width = await page.evaluate<{ scroll: number; inner: number }>('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })');
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    const body = page.locator('#diff tr[data-path="body"]');
    expect(await body.locator('mark.w-removed').allTextContents()).toEqual(['word6']);
    expect(await body.locator('mark.w-added').allTextContents()).toEqual(['CHANGED']);
    await page.locator('#diff select[name="layout"]').selectOption('unified');
    await page.locator('#diff .unified [data-path="body"]').waitFor(SLOW);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.locator('#diff select[name="layout"]').selectOption('side-by-side');
    await page.locator('#diff-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(DOCS, 'studio-diff.png') });
    await page.close();
  });

  it('says which fields each version changed, and who changed a field', async () => {
    const page = await openRecord(utc, f.noteId);
    const changed = (ov: number) => page.locator(`#timeline td[data-changed="${ov}"]`).textContent();
    await expect.poll(() => changed(3), SLOW).toBe('title');
    expect(await changed(2)).toBe('tags');
    expect(await changed(1)).toBe('status, title');
    expect(await changed(0)).toBe('attachment, body, noteId, priority, status, title');
    await page.locator('#timeline td[data-changed="1"] button[data-field="status"]').click();
    await page.locator('#field-box .field-history[data-field="status"] tbody tr').first().waitFor(SLOW);
    const rows = page.locator('#field-box tbody tr');
    expect(await rows.count()).toBe(2);
    // Who last changed status: bob, in version 1, from draft to published.
    expect(await rows.first().locator('td').allTextContents()).toEqual(['1', expect.stringMatching(/Z$/), 'bob', 'publish', '"draft"', '"published"']);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['0', expect.stringMatching(/Z$/), 'alice', 'first draft', '—', '"draft"']);
    await page.close();
  });

  it('links a parent in another database to that database, and lists a record\'s children', async () => {
    const page = await openRecord(utc, fromAuthorId);
    const parent = page.locator('.lineage.parent a');
    expect(await parent.textContent()).toBe(`authors/${authorId}`);
    expect(await parent.getAttribute('data-scope')).toBe('metadata · tenant acme');
    await parent.click();
    await expect.poll(() => page.locator('.crumbs').textContent(), SLOW).toBe('metadata · tenant acme · authors');
    expect(await page.locator('h1.record-title .record-id').textContent()).toBe(authorId);
    await page.goto(`${f.studio.origin}/#/r?${new URLSearchParams({ ...NOTES_CTX, id: f.noteId })}`);
    await expect.poll(() => page.locator('.child-list a').allTextContents(), SLOW).toEqual([`notes/${f.childId}`]);
    await page.close();
  });

  it('shows the record page as the README pictures it', async () => {
    const page = await openRecord(utc, f.noteId);
    await page.screenshot({ path: resolve(DOCS, 'studio-record.png'), fullPage: false });
    await page.close();
  });
});
