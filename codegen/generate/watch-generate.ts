/**
 * `chronos generate --watch`: regenerates in the same process after every change under the
 * schemas folder. ES modules cannot be evicted from Node's cache, so each run imports the
 * declarations under a new URL (`?chronos-watch=<run>`), and a module resolve hook gives the
 * same query to the modules they import from the schemas folder: what the watcher watches loads
 * afresh, while zod, the runtime and anything else outside the folder stay loaded. A run then
 * costs loading the declarations and emitting, not starting Node, the TypeScript loader and the
 * generator again.
 */
import { watch } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDeclarations, importModule } from '../load/load-declarations.js';
import { generateFromDeclarations, type GenerateOptions } from './generate.js';
import { writeOutput } from './output-files.js';

type Log = (line: string) => void;

/** How long to wait after a change for more changes (an editor's save is often several writes). */
const SETTLE_MS = 30;

/** The query that marks a run's modules; the hook passes it on from importer to imported module. */
const QUERY = 'chronos-watch';

/** Runs in Node's loader thread: a module of the schemas folder imported by a marked module gets the same mark. */
const HOOKS = `
let folder = '';
export function initialize(data) { folder = data.folder; }
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const mark = context.parentURL ? new URL(context.parentURL).searchParams.get('${QUERY}') : null;
  if (mark === null || !result.url.startsWith(folder) || result.url.includes('?')) return result;
  return { ...result, url: result.url + '?${QUERY}=' + mark };
}
`;

let hooked = false;

/** One regeneration; never rejects (a broken declaration is reported, and the next save retries). */
export async function regenerate(options: GenerateOptions, run: number, log: Log, error: Log): Promise<void> {
  const started = performance.now();
  if (!hooked) {
    const folder = pathToFileURL(path.resolve(options.schemasDir)).href.replace(/\/?$/, '/');
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { folder } });
    hooked = true;
  }
  try {
    const declarations = await loadDeclarations(options.schemasDir, options.outDir, (file) => importModule(file, `${QUERY}=${run}`));
    const { stale, orphaned } = await writeOutput(options.outDir, generateFromDeclarations(declarations, options));
    log(`${options.outDir}: ${stale.length} written, ${orphaned.length} removed (${Math.round(performance.now() - started)} ms)`);
  } catch (e) {
    error(`chronos generate: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Watches `options.schemasDir` and regenerates on every change; a change during a run triggers one more run after it. */
export function watchInProcess(options: GenerateOptions, log: Log, error: Log): void {
  let runs = 0;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const rerun = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      runs += 1;
      await regenerate(options, runs, log, error);
    } while (again);
    running = false;
  };
  void rerun();
  watch(options.schemasDir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rerun(), SETTLE_MS);
  });
  log(`watching ${options.schemasDir} (Ctrl-C to stop)`);
}
