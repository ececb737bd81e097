/**
 * Access to the Studio in a real headless Chromium (Debian's, driven by playwright-core), with
 * `chronos studio --host 0.0.0.0 --allow-host studio.test` started as users start it, and the
 * browser resolving two made-up names to this machine (as a DNS-rebinding page would): a foreign
 * name is refused even with the token, an allowed one works; a deep link without a session shows
 * the sign-in page, and the token typed there opens the Studio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type FreshBrowser } from '../support/chromium.js';
import { NOTES_CTX, startStudioFixture, writeConfigModule, type StudioFixture } from './studio-fixture.js';
import { startStudioProcess, type StudioProcess } from './studio-process.js';

const missing = chromiumMissing();
const SLOW = { timeout: 15_000 };

describe.skipIf(missing !== undefined)('access to the Studio in a browser', () => {
  let f: StudioFixture;
  let cli: StudioProcess;
  let browser: FreshBrowser;
  let dir: string;
  let port: string;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chronos-studio-access-'));
    [f, browser] = await Promise.all([
      startStudioFixture({ write: false }),
      launchChromium({ args: ['--host-resolver-rules=MAP rebind.test 127.0.0.1, MAP studio.test 127.0.0.1'] }),
    ]);
    cli = await startStudioProcess(await writeConfigModule(dir, f.config), ['--host', '0.0.0.0', '--allow-host', 'studio.test']);
    port = new URL(cli.origin).port;
    token = new URL(cli.url).searchParams.get('token') as string;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([cli?.stop(), browser?.close(), f?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('with --host 0.0.0.0 refuses a page reached under a foreign name, even with the token', async () => {
    const page = await browser.context.newPage();
    const res = await page.goto(`http://rebind.test:${port}/?token=${token}`);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('unexpected Host header');
    expect(await browser.context.cookies(`http://rebind.test:${port}`)).toEqual([]);
    await page.close();
  });

  it('with --allow-host opens the Studio under that name', async () => {
    const page = await browser.context.newPage();
    await page.goto(`http://studio.test:${port}/?token=${token}`);
    await page.locator('nav a[data-collection="notes"]:not(.empty)').first().waitFor(SLOW);
    expect(page.url()).toBe(`http://studio.test:${port}/`);
    await page.close();
  });

  it('shows the sign-in page for a deep link without a session, and the typed token opens the Studio', async () => {
    const page = await browser.context.newPage();
    const res = await page.goto(`${cli.origin}/#/r?${new URLSearchParams({ ...NOTES_CTX, id: f.noteId })}`);
    expect(res?.status()).toBe(401);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').textContent()).toBe('Chronos Studio: not signed in');
    expect(await page.textContent('body')).toContain('Open the URL that chronos studio printed');
    await page.locator('input[name="token"]').fill(token);
    await page.locator('button[type="submit"]').click();
    await page.locator('nav a[data-collection="notes"]:not(.empty)').first().waitFor(SLOW);
    expect(page.url()).toBe(`${cli.origin}/`);
    await page.close();
  });
});
