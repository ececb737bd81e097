/**
 * The collection view in a real headless Chromium (Debian's, driven by playwright-core): jump to
 * an id; prefix, range and sort on indexed props; the display field as row and record title;
 * paging that keeps the applied filter when the form was changed but not applied, and a cursor
 * of another filter refused.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type FreshBrowser } from '../support/chromium.js';
import { NOTES_CTX, startStudioFixture, type StudioFixture } from './studio-fixture.js';

const missing = chromiumMissing();
const SLOW = { timeout: 15_000 };
const EXTRA = 60;

describe.skipIf(missing !== undefined)('the collection view in a browser', () => {
  let f: StudioFixture;
  let browser: FreshBrowser;

  beforeAll(async () => {
    [f, browser] = await Promise.all([startStudioFixture({ write: false, extraNotes: EXTRA }), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), f?.close()]);
  });

  async function openCollection(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(f.studio.url);
    await page.goto(`${f.studio.origin}/#/c?${new URLSearchParams(NOTES_CTX)}`);
    await page.locator('table.records tbody tr').first().waitFor(SLOW);
    return page;
  }

  const column = (page: Page, header: string) =>
    page.evaluate<string[]>(`(() => {
      const table = document.querySelector('table.records');
      const i = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent === ${JSON.stringify(header)});
      return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[i].textContent);
    })()`);

  /** Runs `action` and waits until the view shows the address it led to. */
  async function applied(page: Page, action: () => Promise<void>): Promise<void> {
    const before = page.url();
    await action();
    await expect.poll(() => page.url(), SLOW).not.toBe(before);
    await expect.poll(() => page.evaluate<boolean>("document.getElementById('main').dataset.shown === location.hash"), SLOW).toBe(true);
  }

  it('opens a record by id and titles it with the display field', async () => {
    const page = await openCollection();
    expect(await page.title()).toBe('notes · runtime · tenant acme · Chronos Studio');
    await page.locator('#jump input[name="id"]').fill(f.noteId);
    await page.locator('#jump button').click();
    await expect.poll(() => page.locator('h1.record-title .display-title').textContent(), SLOW).toBe('First, final ');
    expect(await page.locator('h1.record-title .record-id').textContent()).toBe(f.noteId);
    expect(await page.title()).toContain('First, final');
    await page.close();
  });

  it('filters by prefix, by range, and sorts by an indexed prop', async () => {
    const page = await openCollection();
    expect((await column(page, 'title')).slice(0, 2)).toEqual(['First, final', 'Child']);
    await page.locator('select[name="mode.noteId"]').selectOption('p');
    await page.locator('input[name="v.noteId"]').fill('X-00');
    await applied(page, () => page.locator('#filters button[type="submit"]').click());
    expect(await column(page, 'noteId')).toEqual(Array.from({ length: 10 }, (_, i) => `X-00${i}`));
    expect(page.url()).toContain('p.noteId=X-00');

    await applied(page, () => page.goto(`${f.studio.origin}/#/c?${new URLSearchParams(NOTES_CTX)}`).then(() => undefined));
    await page.locator('input[name="lo.priority"]').fill('1');
    await page.locator('input[name="hi.priority"]').fill('2');
    await applied(page, () => page.locator('#filters button[type="submit"]').click());
    expect(await column(page, 'noteId')).toEqual(['N-2', 'N-1']);

    await applied(page, () => page.goto(`${f.studio.origin}/#/c?${new URLSearchParams(NOTES_CTX)}`).then(() => undefined));
    await page.locator('select[name="sort"]').selectOption('noteId');
    await page.locator('select[name="dir"]').selectOption('desc');
    await applied(page, () => page.locator('#filters button[type="submit"]').click());
    expect((await column(page, 'noteId')).slice(0, 2)).toEqual([`X-0${EXTRA - 1}`, `X-0${EXTRA - 2}`]);
    await page.close();
  });

  it('pages with the applied filter even when the form was changed but not applied', async () => {
    const page = await openCollection();
    await page.locator('select[name="f.status"]').selectOption('archived');
    await applied(page, () => page.locator('#filters button[type="submit"]').click());
    const first = await column(page, 'noteId');
    expect(first).toHaveLength(50);
    // Changed, not applied: Next must still page through the archived notes.
    await page.locator('select[name="f.status"]').selectOption('draft');
    await applied(page, () => page.locator('#next').click());
    const second = await column(page, 'noteId');
    expect(await column(page, 'status')).toEqual(Array(EXTRA - 50).fill('archived'));
    expect(new Set([...first, ...second]).size).toBe(EXTRA);
    expect(await page.locator('select[name="f.status"]').inputValue()).toBe('archived');
    // A cursor of this filter sent with another one is refused, with a way back to the first page.
    await applied(page, () => page.goto(page.url().replace('f.status=archived', 'f.status=draft')).then(() => undefined));
    await expect.poll(() => page.locator('.notice.error').textContent(), SLOW).toContain('start again from the first page');
    await applied(page, () => page.locator('a', { hasText: 'First page of this filter' }).click());
    // The one draft note: the child.
    expect(await column(page, 'status')).toEqual(['draft']);
    await page.close();
  });
});
