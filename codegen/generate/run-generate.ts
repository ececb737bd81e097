/** The `chronos generate` command: write, check (`--check`) or keep regenerating (`--watch`). */
import { lockTextOnDisk, writeLock } from '../evolution/lock-file.js';
import { RevisionRefusedError, generateWithLock, type GenerateOptions, type GenerateResult } from './generate.js';
import { diffOutput, writeOutput } from './output-files.js';

/** Options of the command as parsed from the command line. */
export interface GenerateCommand extends GenerateOptions {
  check: boolean;
  watch: boolean;
}

type Log = (line: string) => void;

/** The command as written in file headers: `chronos generate` plus the options that differ from the defaults. */
export function generateCommandText(schemas: string, out: string, runtimeImport: string): string {
  const parts = ['chronos generate'];
  if (schemas !== 'schemas') parts.push(`--schemas ${schemas}`);
  if (out !== 'generated') parts.push(`--out ${out}`);
  if (runtimeImport !== 'chronos-db') parts.push(`--runtime-import ${runtimeImport}`);
  return parts.join(' ');
}

/** Writes a generate run's output files and its lock file; what changed. */
export async function writeGenerated(outDir: string, result: GenerateResult): Promise<{ stale: string[]; orphaned: string[]; lockWritten: boolean }> {
  const diff = await writeOutput(outDir, result.files);
  return { ...diff, lockWritten: await writeLock(result.lock.file, result.lock.text) };
}

/** Runs generate, turning a refused declaration change into error lines and exit code 1. */
async function tryGenerate(command: GenerateCommand, error: Log): Promise<GenerateResult | undefined> {
  try {
    return await generateWithLock(command);
  } catch (e) {
    if (!(e instanceof RevisionRefusedError)) throw e;
    for (const refusal of e.plan.refusals) error(refusal.message);
    error(`nothing written: ${e.plan.refusals.length} declaration change(s) refused`);
    return undefined;
  }
}

/** Runs the command once; resolves to the process exit code (1 when `--check` finds stale files, or a change is refused). */
export async function runGenerate(command: GenerateCommand, log: Log, error: Log): Promise<number> {
  const started = performance.now();
  const result = await tryGenerate(command, error);
  if (!result) return 1;
  const { files } = result;
  if (command.check) {
    const { stale, orphaned } = await diffOutput(command.outDir, files);
    const lockStale = (await lockTextOnDisk(result.lock.file)) !== result.lock.text;
    if (stale.length === 0 && orphaned.length === 0 && !lockStale) {
      log(`${command.outDir}: ${files.size} files up to date`);
      return 0;
    }
    if (lockStale) {
      const added = result.plan.recorded.map((r) => `${r.collection} revision ${r.revision} (${r.change})`).join(', ');
      error(`stale: ${result.lock.file}${added ? `: would record ${added}` : ''}`);
    }
    for (const name of stale) error(`stale: ${command.outDir}/${name}`);
    for (const name of orphaned) error(`no longer generated: ${command.outDir}/${name}`);
    error(`run \`${command.command}\` and commit the result`);
    return 1;
  }
  const { stale, orphaned } = await writeGenerated(command.outDir, result);
  const ms = Math.round(performance.now() - started);
  for (const r of result.plan.recorded) if (r.change !== 'initial') log(`${r.collection}: recorded revision ${r.revision} (${r.change} change)`);
  log(`${command.outDir}: ${files.size} files, ${stale.length} written, ${orphaned.length} removed (${ms} ms)`);
  return 0;
}
