/**
 * The Studio's layout in a real headless Chromium (Debian's, driven by playwright-core): no
 * horizontal overflow at 1,400 px nor at 760 px on any view; the current collection highlighted
 * in the navigation; a page title per view; counters with a row per rule (zero included), dated
 * bucket labels and value ticks.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type FreshBrowser } from '../support/chromium.js';
import { NOTES_CTX, startStudioFixture, type StudioFixture } from './studio-fixture.js';
import { getJson } from './studio-client.js';

const missing = chromiumMissing();
const SLOW = { timeout: 15_000 };

describe.skipIf(missing !== undefined)('the Studio layout in a browser', () => {
  let f: StudioFixture;
  let wide: FreshBrowser;
  let narrow: FreshBrowser;

  beforeAll(async () => {
    [f, wide, narrow] = await Promise.all([
      startStudioFixture({ write: true, extraNotes: 3 }),
      launchChromium({ viewport: { width: 1400, height: 900 } }),
      launchChromium({ viewport: { width: 760, height: 900 } }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([wide?.close(), narrow?.close(), f?.close()]);
  });

  const views = () => ({
    home: '#/',
    collection: `#/c?${new URLSearchParams(NOTES_CTX)}`,
    record: `#/r?${new URLSearchParams({ ...NOTES_CTX, id: f.noteId })}`,
    counters: '#/counters?tenantId=acme&collection=notes',
  });

  async function show(page: Page, hash: string): Promise<void> {
    await page.goto(`${f.studio.origin}/${hash}`);
    await expect.poll(() => page.evaluate<boolean>("document.getElementById('main').dataset.shown === location.hash"), SLOW).toBe(true);
    if (hash.startsWith('#/r')) await page.locator('#timeline td[data-changed="0"] button').first().waitFor(SLOW);
  }

  it('is usable at 760 px: the navigation above the page, the record page readable (screenshot for a person to check)', async () => {
    const page = await narrow.context.newPage();
    await page.goto(f.studio.url);
    await show(page, views().record);
    const nav = await page.locator('#nav').boundingBox();
    const main = await page.locator('#main').boundingBox();
    expect(nav && main && main.y >= nav.y + nav.height - 1).toBe(true);
    expect(main?.width).toBeGreaterThan(700);
    await page.screenshot({ path: '/tmp/chronos-studio-760.png', fullPage: false });
    await page.close();
  });

  it.each([
    ['1,400', () => wide],
    ['760', () => narrow],
  ])('shows every view without horizontal overflow at %s px', async (_, browser) => {
    const page = await browser().context.newPage();
    await page.goto(f.studio.url);
    for (const [name, hash] of Object.entries(views())) {
      await show(page, hash);
      const width = await page.evaluate<{ scroll: number; inner: number }>('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })');
      expect(width.scroll, name).toBeLessThanOrEqual(width.inner);
    }
    await page.close();
  });

  it('highlights the current collection and titles each view', async () => {
    const page = await wide.context.newPage();
    await page.goto(f.studio.url);
    const titles: string[] = [];
    for (const hash of Object.values(views())) {
      await show(page, hash);
      titles.push(await page.title());
    }
    expect(new Set(titles).size).toBe(4);
    expect(titles[2]).toContain(f.noteId);
    await show(page, views().collection);
    await expect.poll(() => page.locator('#nav a.current').count(), SLOW).toBe(1);
    const current = page.locator('#nav a.current');
    expect(await current.getAttribute('data-collection')).toBe('notes');
    expect(await current.getAttribute('aria-current')).toBe('page');
    // A record of the collection keeps it highlighted; the home page highlights nothing.
    await show(page, views().record);
    expect(await page.locator('#nav a.current').getAttribute('data-collection')).toBe('notes');
    await show(page, views().home);
    expect(await page.locator('#nav a.current').count()).toBe(0);
    await page.close();
  });

  it('charts counters with dated bucket labels and value ticks, and lists a rule that counted nothing', async () => {
    const page = await wide.context.newPage();
    await page.goto(f.studio.url);
    await show(page, views().counters);
    const { body } = await getJson(f.studio, '/api/counters', { tenantId: 'acme', collection: 'notes' });
    const labels = await page.locator('svg.chart .x-tick').allTextContents();
    expect(labels).toEqual(body.buckets.map((b: { bucket: string }) => b.bucket));
    expect(labels[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const ticks = await page.locator('svg.chart .y-tick text').allTextContents();
    expect(ticks[0]).toBe('0');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(Number(ticks[ticks.length - 1])).toBeGreaterThanOrEqual(5);
    await show(page, '#/counters?tenantId=globex&collection=notes');
    expect(await page.locator('tr[data-rule="notes_published"] td').allTextContents()).toEqual(['notes_published', '0', '0', '0', '']);
    expect(await page.locator('main').textContent()).toContain('No buckets yet.');
    await page.close();
  });
});
