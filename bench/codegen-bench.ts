/**
 * Codegen benchmark: generates the repositories of 100 collections (target < 3 s) and type-checks
 * an app using all of them with `tsc --noEmit` (target < 10 s). Run: `npx tsx bench/codegen-bench.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from '../codegen/generate/generate.js';
import { writeOutput } from '../codegen/generate/output-files.js';
import { writeFixture } from './codegen-fixture.js';

const COUNT = 100;
const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

async function timed<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return [value, performance.now() - start, (used.user + used.system) / 1000];
}

/**
 * Runs a command under GNU time and returns its wall and CPU (user + system) milliseconds. CPU
 * time is reported too because the machines are shared: under load, wall time measures the
 * neighbours as much as the work.
 */
async function timedChild(file: string, args: readonly string[]): Promise<{ wall: number; cpu: number }> {
  const start = performance.now();
  const { stderr } = await run('/usr/bin/time', ['-f', 'CPU %U %S', file, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout: string; stderr: string }) => {
    throw new Error(`${file} ${args.join(' ')} failed:\n${e.stdout.slice(0, 2000)}${e.stderr.slice(0, 2000)}`);
  });
  const wall = performance.now() - start;
  const match = /CPU ([\d.]+) ([\d.]+)/.exec(stderr);
  return { wall, cpu: match ? (Number(match[1]) + Number(match[2])) * 1000 : Number.NaN };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  // Inside the repository so the fixture resolves zod and the runtime like an application would.
  const dir = await mkdtemp(path.join(root, '.bench-codegen-'));
  try {
    const rel = (from: string) => path.relative(from, path.join(root, 'runtime/schema/index.js')).split(path.sep).join('/');
    await writeFixture(dir, COUNT, rel(path.join(dir, 'schemas')), `./${rel(dir)}`.replace('./../', '../'));
    const schemasDir = path.join(dir, 'schemas');
    const outDir = path.join(dir, 'generated');
    const options = { schemasDir, outDir, runtimeImport: rel(outDir), command: 'chronos generate' };

    const [files, inProcess, inProcessCpu] = await timed(async () => {
      const generated = await generate(options);
      await writeOutput(outDir, generated);
      return generated;
    });
    const cli = [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'codegen/cli.ts'), 'generate', '--schemas', schemasDir, '--out', outDir, '--runtime-import', rel(outDir)];
    const cliRun = await timedChild(process.execPath, cli);

    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['app.ts'] }, null, 2));
    const tsc = [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path.join(dir, 'tsconfig.json')];
    const tscRun = await timedChild(process.execPath, tsc);
    const bytes = [...files.values()].reduce((n, text) => n + text.length, 0);
    console.log(`collections: ${COUNT}; generated files: ${files.size} (${Math.round(bytes / 1024)} KiB)`);
    console.log(`load average (1 min) ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
    console.log(`generate, in process (load ${COUNT} declarations + emit + write): wall ${seconds(inProcess)}, CPU ${seconds(inProcessCpu)}   target < 3 s`);
    console.log(`generate, CLI incl. node/tsx start-up (nothing to write): wall ${seconds(cliRun.wall)}, CPU ${seconds(cliRun.cpu)}`);
    console.log(`tsc --noEmit of an app using all ${COUNT} repositories: wall ${seconds(tscRun.wall)}, CPU ${seconds(tscRun.cpu)}   target < 10 s`);
  } finally {
    if (!process.argv.includes('--keep')) await rm(dir, { recursive: true, force: true });
    else console.log(`fixture kept in ${dir}`);
  }
}

await main();
