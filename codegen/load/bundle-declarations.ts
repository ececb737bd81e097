/**
 * Loads a folder's TypeScript declaration modules in one step, for a CLI running on plain Node:
 * esbuild (the transpiler tsx itself runs on) bundles them into one ES module, which Node then
 * imports once. Registering tsx's loaders instead sends every module through a loader thread
 * and transpiles it on its own: for a hundred declarations that is most of `chronos generate`'s
 * CPU time.
 *
 * Only TypeScript modules are bundled. Packages and JavaScript modules stay imports of the
 * bundle, so they load exactly as they would from the declarations (one copy of `chronos-db`
 * and of zod, the same instance for a JavaScript module imported directly too). The bundle is
 * written beside the declarations, so Node resolves those imports from the same place, and
 * deleted once imported. Whenever this cannot load them (no esbuild, a read-only folder, a
 * module that only works as CommonJS, a module that throws) it returns undefined, and the caller
 * loads module by module as before, which also reports what went wrong.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of esbuild's API this module uses. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
  stop(): Promise<void> | void;
}

/** The part of an esbuild plugin's build object this module uses. */
interface PluginBuild {
  onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string }) => { path: string; external: boolean } | undefined): void;
}

/** Name prefix of the bundle files; the declaration loader skips files named so. */
export const BUNDLE_PREFIX = '.chronos-declarations-';

/** A module esbuild transpiles (and Node, without a loader, cannot import). */
export const TYPESCRIPT_FILE = /\.(?:[cm]?ts|tsx)$/;
const JAVASCRIPT_FILE = /\.[cm]?js$/;

/** esbuild as tsx depends on it (the CLI's peer), else as the app has it; undefined when neither resolves. */
async function loadEsbuild(): Promise<Esbuild | undefined> {
  const places = [import.meta.url, path.join(process.cwd(), 'package.json')];
  for (const from of places) {
    try {
      const tsx = createRequire(from).resolve('tsx/package.json');
      return await importEsbuild(createRequire(tsx).resolve('esbuild'));
    } catch {
      // try the next place
    }
  }
  for (const from of places) {
    try {
      return await importEsbuild(createRequire(from).resolve('esbuild'));
    } catch {
      // not here
    }
  }
  return undefined;
}

async function importEsbuild(file: string): Promise<Esbuild> {
  const loaded = (await import(pathToFileURL(file).href)) as { default?: Esbuild } & Partial<Esbuild>;
  const api = loaded.build ? (loaded as Esbuild) : loaded.default;
  if (!api?.build) throw new Error(`${file} is not esbuild`);
  return api;
}

/**
 * Keeps the app's JavaScript modules out of the bundle: a relative or absolute import of an
 * existing `.js`, `.mjs` or `.cjs` file becomes an import of its absolute URL. Everything else
 * relative (TypeScript, imported as `./x.js` or `./x.ts`; JSON) is bundled. Packages stay
 * imports of their name through esbuild's `packages: 'external'`, and Node resolves them from
 * the bundle's folder, which is the declarations' own.
 */
function externalJavaScript(build: PluginBuild): void {
  build.onResolve({ filter: /^(?:\.\.?[\\/]|[\\/]|[A-Za-z]:[\\/])/ }, (args) => {
    const target = path.resolve(args.resolveDir, args.path);
    if (!JAVASCRIPT_FILE.test(target) || !existsSync(target)) return undefined;
    return { path: pathToFileURL(target).href, external: true };
  });
}

/**
 * Imports every module in `files` (absolute paths under `dir`) through one esbuild bundle and
 * returns each module's exports by file, or undefined when that is not possible (the caller then
 * imports them one by one).
 */
export async function importBundled(dir: string, files: readonly string[]): Promise<Map<string, Record<string, unknown>> | undefined> {
  if (!files.some((file) => TYPESCRIPT_FILE.test(file))) return undefined;
  const esbuild = await loadEsbuild();
  if (!esbuild) return undefined;
  const entry = files.map((file, i) => `export * as m${i} from ${JSON.stringify(file)};`).join('\n');
  let text: string;
  try {
    const result = await esbuild.build({
      stdin: { contents: entry, resolveDir: dir, loader: 'js', sourcefile: 'declarations' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      logLevel: 'silent',
      plugins: [{ name: 'chronos-declarations', setup: externalJavaScript }],
    });
    text = result.outputFiles[0]!.text;
  } catch {
    return undefined;
  } finally {
    // esbuild's service process is not needed again; stopping it now lets this process reap it.
    await esbuild.stop();
  }
  const bundle = path.join(dir, `${BUNDLE_PREFIX}${randomBytes(6).toString('hex')}.mjs`);
  try {
    await writeFile(bundle, text, { flag: 'wx' });
  } catch {
    return undefined;
  }
  let loaded: Record<string, Record<string, unknown>>;
  try {
    loaded = (await import(pathToFileURL(bundle).href)) as Record<string, Record<string, unknown>>;
  } catch {
    // E.g. a module that only works as CommonJS (require, __dirname). The caller's
    // module-by-module import is the judge of what is wrong, and reports it as before.
    return undefined;
  } finally {
    await rm(bundle, { force: true });
  }
  return new Map(files.map((file, i) => [file, loaded[`m${i}`]!]));
}
