/** The `chronos generate` command: write, check (`--check`) or keep regenerating (`--watch`). */
import { generate, type GenerateOptions } from './generate.js';
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

/** Runs the command once; resolves to the process exit code (1 when `--check` finds stale files). */
export async function runGenerate(command: GenerateCommand, log: Log, error: Log): Promise<number> {
  const started = performance.now();
  const files = await generate(command);
  if (command.check) {
    const { stale, orphaned } = await diffOutput(command.outDir, files);
    if (stale.length === 0 && orphaned.length === 0) {
      log(`${command.outDir}: ${files.size} files up to date`);
      return 0;
    }
    for (const name of stale) error(`stale: ${command.outDir}/${name}`);
    for (const name of orphaned) error(`no longer generated: ${command.outDir}/${name}`);
    error(`run \`${command.command}\` and commit the result`);
    return 1;
  }
  const { stale, orphaned } = await writeOutput(command.outDir, files);
  const ms = Math.round(performance.now() - started);
  log(`${command.outDir}: ${files.size} files, ${stale.length} written, ${orphaned.length} removed (${ms} ms)`);
  return 0;
}
