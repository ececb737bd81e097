/**
 * Loads the collection declarations from a folder of TypeScript (or JavaScript) modules: every
 * exported value made by `defineCollection` counts. TypeScript is loaded through tsx's loader
 * (or, for `chronos generate`, one esbuild bundle), so users need no build step before
 * `chronos generate` or `chronos migrate`.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCollectionDefinition, type AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { BUNDLE_PREFIX, TYPESCRIPT_FILE, importBundled } from './bundle-declarations.js';

/** A declaration and where it is exported from (the generated code imports it from there). */
export interface LoadedDeclaration {
  definition: AnyCollectionDefinition;
  /** Absolute path of the module. */
  file: string;
  exportName: string;
}

const MODULE_FILE = /\.(ts|mts|js|mjs)$/;
const SKIPPED = /\.(d\.ts|test\.ts|spec\.ts)$/;

async function listModules(dir: string, ignore: string | undefined): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const inIgnored = (parent: string) => ignore !== undefined && (parent === ignore || parent.startsWith(ignore + path.sep));
  return entries
    .filter((e) => e.isFile() && MODULE_FILE.test(e.name) && !SKIPPED.test(e.name) && !e.name.startsWith(BUNDLE_PREFIX) && !inIgnored(path.resolve(e.parentPath)))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

let loaderChecked = false;
let nativeTypeScript: Promise<boolean> | undefined;

/**
 * True when this process can already import TypeScript the way declarations are written (e.g. the
 * CLI was started through tsx): a `.ts` file importing its sibling as `./dep.js`. Node's own type
 * stripping (Node 23.6+) loads `.ts` files but does not map `.js` specifiers to `.ts`, so it does
 * not count.
 */
async function canImportTypeScript(): Promise<boolean> {
  const dir = await mkdtemp(path.join(tmpdir(), 'chronos-probe-'));
  try {
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(path.join(dir, 'dep.ts'), 'export const dep: number = 1;\n');
    await writeFile(path.join(dir, 'probe.ts'), "export { dep } from './dep.js';\n");
    await import(pathToFileURL(path.join(dir, 'probe.ts')).href);
    return true;
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** {@link canImportTypeScript}, probed once per process. */
function importsTypeScript(): Promise<boolean> {
  return (nativeTypeScript ??= canImportTypeScript());
}

/**
 * Registers tsx's loaders, for ES modules and for CommonJS: in a CommonJS app (no `"type":
 * "module"`) a declaration file is compiled to CommonJS and its imports are `require` calls,
 * which only the CommonJS hook can serve (with the ESM hook alone Node fails with "Cannot
 * require() ES Module ... in a cycle"). tsx is an optional peer, imported only here.
 */
async function registerTypeScript(file: string): Promise<void> {
  let apis: [typeof import('tsx/esm/api'), typeof import('tsx/cjs/api')];
  try {
    apis = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new Error(`loading ${path.relative(process.cwd(), file) || file} needs tsx (it is TypeScript), which is not installed: run \`npm install -D tsx\`, or write the file in JavaScript`, { cause: e });
  }
  const [esm, cjs] = apis;
  cjs.register();
  esm.register();
}

/**
 * Imports a TypeScript or JavaScript module by path. tsx's loaders are registered only when the
 * process cannot load TypeScript yet (the built CLI on plain Node): under tsx a second loader
 * chain would only slow every import down. Probed on throwaway files, because Node remembers
 * a failed import of a URL and would not retry it after registering. `query` is appended to the
 * module's URL (a new query loads a new copy).
 */
export async function importModule(file: string, query?: string): Promise<Record<string, unknown>> {
  // JavaScript modules load without tsx; only the first TypeScript one decides whether it is needed.
  if (!loaderChecked && TYPESCRIPT_FILE.test(file)) {
    if (!(await importsTypeScript())) await registerTypeScript(file);
    loaderChecked = true;
  }
  const url = pathToFileURL(path.resolve(file)).href;
  return (await import(query ? `${url}?${query}` : url)) as Record<string, unknown>;
}

/**
 * The named exports of a loaded module. A CommonJS module (a declaration file in an app without
 * `"type": "module"`) may reach `import()` with its exports only under `default`.
 */
function namedExports(loaded: Record<string, unknown>): Record<string, unknown> {
  const fallback = loaded.default;
  if (typeof fallback !== 'object' || fallback === null || isCollectionDefinition(fallback)) return loaded;
  const named: Record<string, unknown> = { ...(fallback as Record<string, unknown>) };
  for (const [name, value] of Object.entries(loaded)) if (name !== 'default') named[name] = value;
  return named;
}

/**
 * Every declaration exported from the modules under `dir`, sorted by collection name. Refuses two
 * different declarations with one name, and an entity target that no module exports. Modules
 * under `ignore` (the output folder, when it sits inside the schemas folder) are not loaded.
 * `load` imports one module (the watcher passes one that loads fresh copies). With `bundle`, a
 * process that cannot import TypeScript yet loads every module through one esbuild bundle
 * instead of registering tsx's loaders (`chronos generate`, which imports nothing else; a command
 * that also imports the config must not, or it would hold two copies of each declaration).
 */
export async function loadDeclarations(dir: string, ignore?: string, load: (file: string) => Promise<Record<string, unknown>> = importModule, { bundle = false } = {}): Promise<LoadedDeclaration[]> {
  const byName = new Map<string, LoadedDeclaration>();
  const files = await listModules(path.resolve(dir), ignore === undefined ? undefined : path.resolve(ignore));
  // On plain Node, one esbuild bundle of every TypeScript module costs a fraction of tsx's loaders.
  const bundled = bundle && !loaderChecked && !(await importsTypeScript()) ? await importBundled(path.resolve(dir), files) : undefined;
  for (const file of files) {
    const exports = namedExports(bundled?.get(file) ?? (await load(file)));
    for (const [exportName, value] of Object.entries(exports).sort(([a], [b]) => a.localeCompare(b))) {
      if (!isCollectionDefinition(value)) continue;
      const seen = byName.get(value.name);
      if (seen && seen.definition !== value) {
        throw new Error(`collection "${value.name}" is declared twice: ${seen.exportName} in ${seen.file} and ${exportName} in ${file}`);
      }
      if (!seen) byName.set(value.name, { definition: value, file, exportName });
    }
  }
  for (const { definition, file } of byName.values()) {
    for (const entity of definition.entities) {
      if (byName.get(entity.collection.name)?.definition !== entity.collection) {
        throw new Error(`${definition.name} (${file}): entity "${entity.property}" points at collection "${entity.collection.name}", which no module in ${dir} exports`);
      }
    }
  }
  return [...byName.values()].sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1));
}
