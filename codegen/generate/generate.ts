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
import { emitRevisions } from '../evolution/emit-revisions.js';
import { emptyLock, lockPath, readLock, renderLock, type LockFile } from '../evolution/lock-file.js';
import { currentRevisions, planRevisions, type RevisionPlan } from '../evolution/plan-revisions.js';
import { revisionNamesOf } from '../evolution/revision-names.js';

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

/**
 * Generates every output file from already loaded declarations: file name (relative to outDir) →
 * content. `lock` is the declaration history with their current revisions recorded (see
 * {@link generateWithLock}); without it every collection is at its first revision.
 */
export function generateFromDeclarations(declarations: readonly LoadedDeclaration[], options: GenerateOptions, lock?: LockFile): Map<string, string> {
  const history = lock ?? planRevisions(emptyLock(), declarations.map((d) => d.definition)).lock;
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
    const revisions = history.collections[declaration.definition.name]?.revisions ?? [];
    add(revisionNamesOf(declaration.definition.name).file, (file) => emitRevisions(file, declaration.definition.name, revisions));
  }
  add('index-definitions.ts', (file) => emitIndexDefinitions(file, declarations, options.runtimeImport));
  add('repositories.ts', (file) => emitFactory(file, declarations, options.runtimeImport, outDir, currentRevisions(history)));
  // index-definitions.ts is not re-exported: it is data for tools, imported from its own module;
  // through index.ts every application would type-check its literal of a dozen indexes per collection.
  add('index.ts', (file) => {
    for (const { definition } of declarations) {
      file.addExportDeclaration({ moduleSpecifier: namesOf(definition.name).module });
      file.addExportDeclaration({ moduleSpecifier: revisionNamesOf(definition.name).module });
    }
    file.addExportDeclaration({ moduleSpecifier: './repositories.js' });
  });
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A declaration change generate refuses to record (see `evolution/plan-revisions.ts`); its message lists every refusal. */
export class RevisionRefusedError extends Error {
  constructor(readonly plan: RevisionPlan) {
    super(plan.refusals.map((r) => r.message).join('\n'));
    this.name = 'RevisionRefusedError';
  }
}

/** What one generate run produces: the output files and the lock file with every accepted change recorded. */
export interface GenerateResult {
  files: Map<string, string>;
  lock: { file: string; text: string };
  plan: RevisionPlan;
}

/**
 * Loads the declarations under `options.schemasDir`, compares them with the lock file there
 * (`chronos.lock.json`) and generates every output file. Throws a {@link RevisionRefusedError}
 * when a declaration changed in a breaking way without an upcaster.
 */
export async function generateWithLock(options: GenerateOptions, loaded?: readonly LoadedDeclaration[]): Promise<GenerateResult> {
  const declarations = loaded ?? (await loadDeclarations(options.schemasDir, options.outDir, undefined, { bundle: true }));
  const plan = planRevisions(await readLock(options.schemasDir), declarations.map((d) => d.definition));
  if (plan.refusals.length > 0) throw new RevisionRefusedError(plan);
  const files = generateFromDeclarations(declarations, options, plan.lock);
  return { files, lock: { file: lockPath(options.schemasDir), text: renderLock(plan.lock) }, plan };
}

/** Loads the declarations under `options.schemasDir` and generates every output file (see {@link generateWithLock}). */
export async function generate(options: GenerateOptions): Promise<Map<string, string>> {
  return (await generateWithLock(options)).files;
}
