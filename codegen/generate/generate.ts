/**
 * `chronos generate`: declarations in, formatted TypeScript modules out. Produces the files in
 * memory (deterministically: sorted, no timestamps) so `--check` can compare them with what is
 * on disk without writing.
 */
import path from 'node:path';
import { StatementCollector } from './statements.js';
import { loadDeclarations, type LoadedDeclaration } from '../load/load-declarations.js';
import { emitCollection } from './emit-collection.js';
import { emitFactory } from './emit-factory.js';
import { emitIndexDefinitions } from './emit-indexes.js';
import { generatedHeader } from './header.js';
import { reindent } from './layout.js';
import { namesOf } from './naming.js';

/** Where to read, where to write, and how the generated code imports the runtime. */
export interface GenerateOptions {
  schemasDir: string;
  outDir: string;
  /** Module the generated code imports the runtime from; `chronos-db` for applications. */
  runtimeImport: string;
  /** The command named in the header of every file. */
  command: string;
}

const RESERVED_FILES = new Set(['index.ts', 'index-definitions.ts', 'repositories.ts']);

function render(file: StatementCollector, header: string): string {
  // Statements are printed one after another; hand-written code has a blank line before each documented one.
  const text = reindent(file.print()).replace(/([^\n])\n(\/\*\*)/g, '$1\n\n$2');
  return `${header}\n${text.endsWith('\n') ? text : `${text}\n`}`;
}

/**
 * Two collections whose generated names coincide (`auditEvents` and `audit_events` both give
 * `audit-events.ts` and `AuditEventsRepository`) would overwrite each other: refuse them.
 */
function refuseNameCollisions(declarations: readonly LoadedDeclaration[]): void {
  const seen = new Map<string, string>();
  for (const { definition } of declarations) {
    const key = namesOf(definition.name).file;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new Error(`collections "${other}" and "${definition.name}" would both generate ${key} and ${namesOf(definition.name).repository}: rename one of them`);
    }
    seen.set(key, definition.name);
  }
}

/** Generates every output file from already loaded declarations: file name (relative to outDir) → content. */
export function generateFromDeclarations(declarations: readonly LoadedDeclaration[], options: GenerateOptions): Map<string, string> {
  const outDir = path.resolve(options.outDir);
  const header = generatedHeader(options.command);
  const files = new Map<string, string>();
  const add = (name: string, fill: (file: StatementCollector) => void) => {
    const collector = new StatementCollector();
    fill(collector);
    files.set(name, render(collector, header));
  };
  refuseNameCollisions(declarations);
  for (const declaration of declarations) {
    const name = namesOf(declaration.definition.name).file;
    if (RESERVED_FILES.has(name)) throw new Error(`collection "${declaration.definition.name}" would overwrite generated ${name}: rename it`);
    add(name, (file) => emitCollection(file, declaration, { outDir, runtimeImport: options.runtimeImport }));
  }
  add('index-definitions.ts', (file) => emitIndexDefinitions(file, declarations, options.runtimeImport));
  add('repositories.ts', (file) => emitFactory(file, declarations, options.runtimeImport, outDir));
  // index-definitions.ts is not re-exported: it is data for tools, imported from its own module;
  // through index.ts every application would type-check its literal of a dozen indexes per collection.
  add('index.ts', (file) => {
    for (const { definition } of declarations) file.addExportDeclaration({ moduleSpecifier: namesOf(definition.name).module });
    file.addExportDeclaration({ moduleSpecifier: './repositories.js' });
  });
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Loads the declarations under `options.schemasDir` and generates every output file. */
export async function generate(options: GenerateOptions): Promise<Map<string, string>> {
  return generateFromDeclarations(await loadDeclarations(options.schemasDir, options.outDir), options);
}
