/**
 * Headless Chromium for the end-to-end suites: Debian's `chromium` (installed by
 * scripts/ensure-chromium.sh), driven by `playwright-core` with a fresh profile per launch.
 * Where no Chromium exists the suites skip with the reason, except under `CI`, where they fail.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The Chromium binary the suites use (`CHRONOS_CHROMIUM`, default Debian's). */
export const CHROMIUM_PATH = process.env.CHRONOS_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser suites cannot run here, or undefined when they can. Throws under CI, where they must run. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `no Chromium at ${CHROMIUM_PATH}: run scripts/ensure-chromium.sh as root (apt-get install -y chromium) or set CHRONOS_CHROMIUM`;
  if (process.env.CI) throw new Error(`${reason} (CI must run the browser tests)`);
  console.warn(`[chromium] skipping browser tests: ${reason}`);
  return reason;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser context on a fresh profile; `close()` also removes the profile. */
export interface FreshBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** How to launch: the browser's time zone (default UTC), its window size and extra Chromium flags. */
export interface LaunchOptions {
  timezoneId?: string;
  viewport?: { width: number; height: number };
  args?: string[];
}

/** Launches headless Chromium with a fresh `--user-data-dir` (Playwright's persistent context takes it as its first argument). */
export async function launchChromium(options: LaunchOptions = {}): Promise<FreshBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'chronos-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    timezoneId: options.timezoneId ?? 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
