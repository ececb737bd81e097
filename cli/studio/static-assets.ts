/**
 * The Studio's page, script and styles, served from files shipped in the package (no CDN, works
 * offline). From the sources they sit in `cli/studio/assets/`; the build copies them to
 * `dist/cli/studio-assets/`, next to the bundled CLI.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Every asset the Studio serves, by URL name, with its content type: nothing else is ever read from disk. */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'record.js': 'text/javascript; charset=utf-8',
  'collection.js': 'text/javascript; charset=utf-8',
  'counters.js': 'text/javascript; charset=utf-8',
  'diff-view.js': 'text/javascript; charset=utf-8',
  'restore-dialog.js': 'text/javascript; charset=utf-8',
  'lineage.js': 'text/javascript; charset=utf-8',
  'time.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

const CANDIDATE_DIRS = ['./assets/', './studio-assets/'];

/** The folder the assets are read from. */
function assetsDir(): string {
  for (const candidate of CANDIDATE_DIRS) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error(`the Studio's assets are missing (looked for ${CANDIDATE_DIRS.join(' and ')} beside ${fileURLToPath(import.meta.url)}); rebuild the package`);
}

/** Reads the assets once; the server answers from memory. */
export async function loadAssets(): Promise<Map<string, { body: Buffer; contentType: string }>> {
  const dir = assetsDir();
  const loaded = new Map<string, { body: Buffer; contentType: string }>();
  for (const [name, contentType] of Object.entries(ASSETS)) loaded.set(name, { body: await readFile(dir + name), contentType });
  return loaded;
}
