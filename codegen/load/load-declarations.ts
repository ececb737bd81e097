/**
 * Loads the collection declarations from a folder of TypeScript (or JavaScript) modules: every
 * exported value made by `defineCollection` counts. TypeScript is loaded through tsx's loader,
 * so users need no build step before `chronos generate` or `chronos migrate`.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { isCollectionDefinition, type AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';

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
    .filter((e) => e.isFile() && MODULE_FILE.test(e.name) && !SKIPPED.test(e.name) && !inIgnored(path.resolve(e.parentPath)))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

let registered = false;

/**
 * Every declaration exported from the modules under `dir`, sorted by collection name. Refuses two
 * different declarations with one name, and an entity target that no module exports. Modules
 * under `ignore` (the output folder, when it sits inside the schemas folder) are not loaded.
 */
export async function loadDeclarations(dir: string, ignore?: string): Promise<LoadedDeclaration[]> {
  if (!registered) {
    register();
    registered = true;
  }
  const byName = new Map<string, LoadedDeclaration>();
  for (const file of await listModules(path.resolve(dir), ignore === undefined ? undefined : path.resolve(ignore))) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
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
