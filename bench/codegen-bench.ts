/**
 * Codegen benchmark: generates the repositories of 100 collections (target: CLI <= 1.2 s CPU,
 * start-up included) and type-checks an app using all of them with `tsc --noEmit` on TypeScript
 * 5.9 (target <= 3.5 s CPU, <= 40,000 instantiations) and on TypeScript 7 (target <= 1.2 s CPU;
 * installed into .tools/ts7 by scripts/ts7.sh). The app sees the runtime as an application
 * does: through declaration files (emitted here from runtime/ with tsc, with skipLibCheck), so
 * the figures are the app's own cost, not a type-check of the engine's sources.
 * Run: `npx tsx bench/codegen-bench.ts` (`--keep` keeps the fixture; `--json` ends with a line of
 * the figures for `npm run bench`, whose `codegen` scenario runs this after building the package).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from '../codegen/generate/generate.js';
import { writeOutput } from '../codegen/generate/output-files.js';
import { FIGURES_PREFIX, type CodegenFigures } from './codegen-figures.js';
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

/** The counters `tsc --extendedDiagnostics` prints that the report uses. */
interface TscFigures {
  wall: number;
  cpu: number;
  instantiations: number;
  types: number;
}

/** Runs per timed command; the report keeps the median (a shared machine makes single runs swing by a third). */
const ROUNDS = 5;

function medianTiming(timings: readonly { wall: number; cpu: number }[]): { wall: number; cpu: number } {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wall: median(timings.map((t) => t.wall)), cpu: median(timings.map((t) => t.cpu)) };
}

/**
 * Type-checks `project` as an app's build does (`tsc --noEmit`, no diagnostics flag: TypeScript
 * 7's `--extendedDiagnostics` alone costs it about 0.3 s of CPU) {@link ROUNDS} times and
 * keeps the median CPU and wall time; one more run with `--extendedDiagnostics` counts the
 * instantiations and types.
 */
async function tscRun(tsc: string, project: string): Promise<TscFigures> {
  // Both compilers' `bin/tsc` are Node scripts (TypeScript 7's starts its native binary, whose CPU time counts too).
  const timings: { wall: number; cpu: number }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) timings.push(await timedChild(process.execPath, [tsc, '--noEmit', '-p', project]));
  const { stdout } = await run(process.execPath, [tsc, '--noEmit', '--extendedDiagnostics', '-p', project], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout: string; stderr: string }) => {
    throw new Error(`tsc ${project} failed:\n${e.stdout.slice(0, 3000)}${e.stderr.slice(0, 2000)}`);
  });
  const count = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(stdout)?.[1] ?? Number.NaN);
  return { ...medianTiming(timings), instantiations: count('Instantiations'), types: count('Types') };
}

/** Emits the runtime's schema entry (JS and declarations) into `outDir`, as a built package would ship it. */
async function emitRuntime(dir: string, outDir: string): Promise<void> {
  const config = path.join(dir, 'tsconfig.runtime.json');
  await writeFile(
    config,
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: false, declaration: true, outDir, rootDir: '../runtime' }, include: [], files: ['../runtime/schema/index.ts'] }, null, 2),
  );
  await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: root });
}

function perCollection(figures: TscFigures, base: TscFigures): string {
  return `${Math.round((figures.instantiations - base.instantiations) / COUNT)} instantiations and ${((figures.cpu - base.cpu) / COUNT).toFixed(1)} ms CPU per collection over an empty app`;
}

async function ts7(): Promise<string | undefined> {
  try {
    const { stdout } = await run('bash', [path.join(root, 'scripts/ts7.sh')], { cwd: root });
    return stdout.trim();
  } catch (error) {
    console.log(`TypeScript 7 not measured: scripts/ts7.sh failed (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

async function main(): Promise<void> {
  // Inside the repository so the fixture resolves zod like an application would.
  const dir = await mkdtemp(path.join(root, '.bench-codegen-'));
  try {
    await emitRuntime(dir, path.join(dir, 'chronos'));
    const rel = (from: string) => path.relative(from, path.join(dir, 'chronos/schema/index.js')).split(path.sep).join('/');
    await writeFixture(dir, COUNT, rel(path.join(dir, 'schemas')), `./${rel(dir)}`);
    const schemasDir = path.join(dir, 'schemas');
    const outDir = path.join(dir, 'generated');
    const options = { schemasDir, outDir, runtimeImport: rel(outDir), command: 'chronos generate' };

    const [files, inProcess, inProcessCpu] = await timed(async () => {
      const generated = await generate(options);
      await writeOutput(outDir, generated);
      return generated;
    });
    const cliArgs = ['generate', '--schemas', schemasDir, '--out', outDir, '--runtime-import', rel(outDir)];
    const built = path.join(root, 'dist/cli/cli.js');
    const cliCommand = existsSync(built) ? [built, ...cliArgs] : [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'cli/cli.ts'), ...cliArgs];
    const cliRuns: { wall: number; cpu: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) cliRuns.push(await timedChild(process.execPath, cliCommand));
    const cliRun = medianTiming(cliRuns);

    // The README's tsconfig for applications (with the skipLibCheck it recommends), not the
    // repository's own: that one sets `declaration`, which makes tsc print every declaration's type.
    const appOptions = { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', lib: ['ES2023'], strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: appOptions, include: ['app.ts'] }, null, 2));
    await writeFile(path.join(dir, 'empty.ts'), `import type { ChronosLike } from './${rel(dir).replace(/^\.\//, '')}';\nexport type Instance = ChronosLike;\n`);
    await writeFile(path.join(dir, 'tsconfig.empty.json'), JSON.stringify({ compilerOptions: appOptions, include: ['empty.ts'] }, null, 2));
    // The declarations alone (the app's zod schemas and defineCollection calls, without generated/):
    // what any app that declares these collections checks, whatever Chronos generates.
    await writeFile(path.join(dir, 'tsconfig.schemas.json'), JSON.stringify({ compilerOptions: appOptions, include: ['schemas/*.ts'] }, null, 2));
    const tsc5 = path.join(root, 'node_modules/typescript/bin/tsc');
    const base5 = await tscRun(tsc5, path.join(dir, 'tsconfig.empty.json'));
    const app5 = await tscRun(tsc5, path.join(dir, 'tsconfig.json'));
    const schemas5 = await tscRun(tsc5, path.join(dir, 'tsconfig.schemas.json'));
    const tsc7 = await ts7();
    const base7 = tsc7 ? await tscRun(tsc7, path.join(dir, 'tsconfig.empty.json')) : undefined;
    const app7 = tsc7 ? await tscRun(tsc7, path.join(dir, 'tsconfig.json')) : undefined;
    const schemas7 = tsc7 ? await tscRun(tsc7, path.join(dir, 'tsconfig.schemas.json')) : undefined;
    const bytes = [...files.values()].reduce((n, text) => n + text.length, 0);
    console.log(`collections: ${COUNT}; generated files: ${files.size} (${Math.round(bytes / 1024)} KiB)`);
    console.log(`load average (1 min) ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
    console.log(`generate, in process (load ${COUNT} declarations + emit + write): wall ${seconds(inProcess)}, CPU ${seconds(inProcessCpu)}`);
    console.log(`generate, CLI ${existsSync(built) ? '(dist/cli/cli.js)' : '(tsx cli/cli.ts; npm run build to time the built CLI)'} incl. start-up (nothing to write), median of ${ROUNDS}: wall ${seconds(cliRun.wall)}, CPU ${seconds(cliRun.cpu)}   target <= 1.2 s CPU`);
    console.log(`tsc 5.9 --noEmit of an app using all ${COUNT} repositories, median of ${ROUNDS}: wall ${seconds(app5.wall)}, CPU ${seconds(app5.cpu)}, ${app5.instantiations} instantiations   target <= 3.5 s CPU, <= 40000 instantiations`);
    console.log(`  ${perCollection(app5, base5)} (empty app: CPU ${seconds(base5.cpu)}, ${base5.instantiations} instantiations)`);
    console.log(`  the ${COUNT} declaration files alone (zod schemas + defineCollection, no generated code): CPU ${seconds(schemas5.cpu)}, ${schemas5.instantiations} instantiations`);
    if (app7 && base7) {
      console.log(`tsc 7 --noEmit of the same app, median of ${ROUNDS}: wall ${seconds(app7.wall)}, CPU ${seconds(app7.cpu)}, ${app7.instantiations} instantiations   target <= 1.2 s CPU`);
      console.log(`  ${perCollection(app7, base7)} (empty app: CPU ${seconds(base7.cpu)})`);
      if (schemas7) console.log(`  the ${COUNT} declaration files alone: CPU ${seconds(schemas7.cpu)}`);
    }
    if (process.argv.includes('--json')) {
      const figures: CodegenFigures = { generateCpu: cliRun.cpu, tsc5Cpu: app5.cpu, tsc5Instantiations: app5.instantiations, declarations5Cpu: schemas5.cpu, ...(app7 && { tsc7Cpu: app7.cpu }) };
      console.log(`${FIGURES_PREFIX}${JSON.stringify(figures)}`);
    }
  } finally {
    if (!process.argv.includes('--keep')) await rm(dir, { recursive: true, force: true });
    else console.log(`fixture kept in ${dir}`);
  }
}

await main();
