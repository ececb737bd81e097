/**
 * `chronos generate --watch`: regenerates in the same process after every change under the
 * schemas folder. ES modules cannot be evicted from Node's cache, so a changed declaration module
 * is imported under a new URL (`?chronos-watch=<version>`), and so is every module of the folder
 * that imports it (directly or not), so entity mappings point at the new objects. A module resolve
 * hook gives each module of the folder the URL of its current version and reports who imports
 * whom; unchanged modules, zod and the runtime stay loaded. A run then costs loading what changed
 * and emitting, not starting Node, the TypeScript loader and the generator again.
 */
import { watch } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { loadDeclarations, importModule } from '../load/load-declarations.js';
import { generateWithLock, type GenerateOptions } from './generate.js';
import { writeLock } from '../evolution/lock-file.js';
import { writeOutput } from './output-files.js';

type Log = (line: string) => void;

/** How long to wait after a change for more changes (an editor's save is often several writes). */
const SETTLE_MS = 30;

/** The query that carries a module's version. */
const QUERY = 'chronos-watch';

/**
 * Runs in Node's loader thread. A module of the folder imported by a versioned module gets its
 * own current version (set by the watcher before each run, acknowledged so the run never races
 * the update), and the edge importer → imported is reported to the watcher.
 */
const HOOKS = `
let folder = '';
let port;
const versions = new Map();
export function initialize(data) {
  folder = data.folder;
  port = data.port;
  port.on('message', (m) => {
    for (const [url, version] of m.versions) versions.set(url, version);
    port.postMessage({ ack: m.run });
  });
  port.unref();
}
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (!context.parentURL || !result.url.startsWith(folder)) return result;
  const parent = new URL(context.parentURL);
  if (!parent.searchParams.has('${QUERY}')) return result;
  const url = result.url.split('?')[0];
  port.postMessage({ edge: [parent.href.split('?')[0], url] });
  return { ...result, url: url + '?${QUERY}=' + (versions.get(url) ?? 0) };
}
`;

/** The module graph of the schemas folder and each module's current version. */
class VersionedModules {
  private readonly versions = new Map<string, number>();
  private readonly importers = new Map<string, Set<string>>();
  private readonly acks = new Map<number, () => void>();
  private readonly port: MessagePort;

  constructor(folder: string) {
    const { port1, port2 } = new MessageChannel();
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { folder, port: port2 }, transferList: [port2] });
    this.port = port1;
    this.port.on('message', (m: { edge?: [string, string]; ack?: number }) => {
      if (m.edge) {
        const [parent, child] = m.edge;
        if (!this.importers.has(child)) this.importers.set(child, new Set());
        this.importers.get(child)!.add(parent);
      }
      if (m.ack !== undefined) this.acks.get(m.ack)?.();
    });
    this.port.unref();
  }

  /** Gives the changed modules and every module importing them version `run`; resolves once the hook has it. */
  async bump(changed: readonly string[], run: number): Promise<void> {
    const stale = new Set<string>();
    const visit = (url: string) => {
      if (stale.has(url)) return;
      stale.add(url);
      for (const parent of this.importers.get(url) ?? []) visit(parent);
    };
    changed.forEach(visit);
    for (const url of stale) this.versions.set(url, run);
    const acked = new Promise<void>((resolve) => this.acks.set(run, resolve));
    this.port.postMessage({ run, versions: [...stale].map((url) => [url, run]) });
    await acked;
    this.acks.delete(run);
  }

  /** Imports a module of the folder at its current version. */
  import(file: string): Promise<Record<string, unknown>> {
    const url = pathToFileURL(path.resolve(file)).href;
    return importModule(file, `${QUERY}=${this.versions.get(url) ?? 0}`);
  }
}

/** Regenerates `options` on every change under its schemas folder; a change during a run triggers one more run after it. */
export function watchInProcess(options: GenerateOptions, log: Log, error: Log): void {
  const folder = pathToFileURL(path.resolve(options.schemasDir)).href.replace(/\/?$/, '/');
  const modules = new VersionedModules(folder);
  let previous: ReadonlyMap<string, string> | undefined;
  let runs = 0;
  let running = false;
  const changed = new Set<string>();

  const regenerate = async (): Promise<void> => {
    const started = performance.now();
    runs += 1;
    const files = [...changed];
    changed.clear();
    try {
      await modules.bump(files, runs);
      const declarations = await loadDeclarations(options.schemasDir, options.outDir, (file) => modules.import(file));
      const result = await generateWithLock(options, declarations);
      const output = result.files;
      await writeLock(result.lock.file, result.lock.text);
      // The first run compares with the files on disk; later ones with what this process wrote.
      const { stale, orphaned } = previous ? await writeChanges(options.outDir, previous, output) : await writeOutput(options.outDir, output);
      previous = output;
      log(`${options.outDir}: ${stale.length} written, ${orphaned.length} removed (${Math.round(performance.now() - started)} ms)`);
    } catch (e) {
      error(`chronos generate: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const rerun = async (): Promise<void> => {
    if (running) return;
    running = true;
    do await regenerate();
    while (changed.size > 0);
    running = false;
  };
  let timer: NodeJS.Timeout | undefined;
  void rerun();
  watch(options.schemasDir, { recursive: true }, (_event, name) => {
    // Only modules count: the lock file beside the declarations is written by the run itself.
    if (name && !/\.[cm]?[jt]sx?$/.test(name.toString())) return;
    if (name) changed.add(pathToFileURL(path.resolve(options.schemasDir, name.toString())).href);
    clearTimeout(timer);
    timer = setTimeout(() => void rerun(), SETTLE_MS);
  });
  log(`watching ${options.schemasDir} (Ctrl-C to stop)`);
}

/** Writes the files whose text changed since `previous` and removes those no longer generated. */
async function writeChanges(outDir: string, previous: ReadonlyMap<string, string>, files: ReadonlyMap<string, string>): Promise<{ stale: string[]; orphaned: string[] }> {
  const stale = [...files].filter(([name, text]) => previous.get(name) !== text).map(([name]) => name);
  const orphaned = [...previous.keys()].filter((name) => !files.has(name));
  await mkdir(outDir, { recursive: true });
  for (const name of stale) await writeFile(path.join(outDir, name), files.get(name)!, 'utf8');
  for (const name of orphaned) await rm(path.join(outDir, name), { force: true });
  return { stale, orphaned };
}
