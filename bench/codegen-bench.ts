/**
 * Codegen benchmark: generates the repositories of 100 collections (target < 3 s) and type-checks
 * an app using all of them with `tsc --noEmit` (target < 10 s). Run: `npx tsx bench/codegen-bench.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from '../codegen/generate/generate.js';
import { writeOutput } from '../codegen/generate/output-files.js';
import { writeFixture } from './codegen-fixture.js';

const COUNT = 100;
const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  // Inside the repository so the fixture resolves zod and the runtime like an application would.
  const dir = await mkdtemp(path.join(root, '.bench-codegen-'));
  try {
    const rel = (from: string) => path.relative(from, path.join(root, 'runtime/index.js')).split(path.sep).join('/');
    await writeFixture(dir, COUNT, rel(path.join(dir, 'schemas')), `./${rel(dir)}`.replace('./../', '../'));
    const schemasDir = path.join(dir, 'schemas');
    const outDir = path.join(dir, 'generated');
    const options = { schemasDir, outDir, runtimeImport: rel(outDir), command: 'chronos generate' };

    const [files, inProcess] = await timed(async () => {
      const generated = await generate(options);
      await writeOutput(outDir, generated);
      return generated;
    });
    const cli = [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'codegen/cli.ts'), 'generate', '--schemas', schemasDir, '--out', outDir, '--runtime-import', rel(outDir)];
    const [, cliWall] = await timed(() => run(process.execPath, cli, { cwd: root }));

    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['app.ts'] }, null, 2));
    const tsc = [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path.join(dir, 'tsconfig.json')];
    const [, tscWall] = await timed(() =>
      run(process.execPath, tsc, { cwd: root }).catch((e: { stdout: string }) => {
        throw new Error(`the fixture app does not type-check:\n${e.stdout.slice(0, 2000)}`);
      }),
    );
    const bytes = [...files.values()].reduce((n, text) => n + text.length, 0);
    console.log(`collections: ${COUNT}; generated files: ${files.size} (${Math.round(bytes / 1024)} KiB)`);
    console.log(`generate, in process (load ${COUNT} declarations + emit + write): ${seconds(inProcess)}   target < 3 s`);
    console.log(`generate, CLI wall time incl. node/tsx start-up (no changes to write): ${seconds(cliWall)}`);
    console.log(`tsc --noEmit of an app using all ${COUNT} repositories (wall time): ${seconds(tscWall)}   target < 10 s`);
  } finally {
    if (!process.argv.includes('--keep')) await rm(dir, { recursive: true, force: true });
    else console.log(`fixture kept in ${dir}`);
  }
}

await main();
