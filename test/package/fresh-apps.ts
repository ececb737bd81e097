/**
 * The packed package in fresh projects, installed from the registry the way users install it:
 * an ES module app and a CommonJS app, each made of the code blocks of the README's "Use it in
 * your app" section, generated with the packed `chronos` bin and type-checked with `nodenext`,
 * `node16` and `bundler` resolution, then run against the test servers; and a runtime-only app,
 * whose install must hold none of the CLI's tools and no storage SDK it does not use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const dev = (name: string) => `${name}@${manifest.devDependencies[name]}`;
const INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
const TIMEOUT = 600_000;

/** The files of the README's "Use it in your app" section: code blocks whose info string names a path. */
function readmeAppFiles(): Map<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Use it in your app');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const files = new Map<string, string>();
  for (const match of section.matchAll(/```\w+ ([\w./-]+)\n([\s\S]*?)```/g)) files.set(match[1] as string, match[2] as string);
  return files;
}

/** The `tsc` of TypeScript 7, when the test command installed it (scripts/ts7.sh). */
const TS7_TSC = process.env.CHRONOS_TS7_TSC;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, timeout: TIMEOUT });
}

function runStatus(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: TIMEOUT });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [file, text] of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

/** `du -sm` of a folder, in MB. */
function sizeMb(dir: string): number {
  return Number(run('du', ['-sm', dir], dir).split(/\s/)[0]);
}

/** The suites, given the packed tarball (made once by the caller's `beforeAll`). */
export function freshAppSuites(tarball: () => string): void {
  const made: string[] = [];
  const fresh = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['module', 'commonjs'] as const) {
    describe(`a fresh ${kind === 'module' ? 'ES module' : 'CommonJS'} app built from the README`, { timeout: TIMEOUT }, () => {
      let app: string;
      beforeAll(() => {
        app = fresh(`chronos-app-${kind}-`);
        writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `readme-${kind}`, private: true, type: kind }, null, 2));
        run('npm', [...INSTALL, tarball(), dev('zod')], app);
        run('npm', [...INSTALL, '-D', dev('typescript'), dev('tsx'), dev('@types/node')], app);
        writeFiles(app, readmeAppFiles());
      }, TIMEOUT);

      it('prints help for every command with exit code 0', () => {
        for (const args of [['--help'], ['generate', '--help'], ['migrate', '--help']]) {
          expect(runStatus('npx', ['chronos', ...args], app)).toMatchObject({ status: 0, out: expect.stringMatching(/Usage/) });
        }
      });

      it('generates the typed layer with the packed chronos bin', () => {
        expect(run('npx', ['chronos', 'generate'], app)).toMatch(/generated: 5 files, 5 written/);
        expect(run('npx', ['chronos', 'generate', '--check'], app)).toMatch(/up to date/);
      });

      it('type-checks with nodenext, node16 and bundler resolution', () => {
        const base = JSON.parse(readmeAppFiles().get('tsconfig.json') as string) as { compilerOptions: Record<string, unknown> };
        for (const [module, moduleResolution] of [['nodenext', 'nodenext'], ['node16', 'node16'], ['preserve', 'bundler']]) {
          const file = `tsconfig.${moduleResolution}.json`;
          writeFileSync(join(app, file), JSON.stringify({ ...base, compilerOptions: { ...base.compilerOptions, module, moduleResolution } }));
          const checked = runStatus('npx', ['tsc', '-p', file], app);
          expect(checked.out, `${kind} app with ${moduleResolution}`).toBe('');
          expect(checked.status).toBe(0);
          // TypeScript 7 (the native compiler, installed apart by scripts/ts7.sh; scripts/test.sh passes its path).
          if (TS7_TSC) {
            const native = runStatus(process.execPath, [TS7_TSC, '-p', file], app);
            expect(native.out, `${kind} app with ${moduleResolution} on TypeScript 7`).toBe('');
            expect(native.status).toBe(0);
          }
        }
        if (!TS7_TSC && process.env.CI) throw new Error('CHRONOS_TS7_TSC is not set: scripts/test.sh sets it from scripts/ts7.sh');
      });

      it('runs: writes, enriches, lists by _system fields and refuses what the refined schema forbids', () => {
        writeFileSync(join(app, 'run.ts'), `import { main } from './src/app.js';\nmain(process.env.MONGODB_URI as string, ${JSON.stringify(join(app, 'data'))}).then((lines) => console.log(JSON.stringify(lines)));\n`);
        const out = run('npx', ['tsx', 'run.ts'], app);
        expect(JSON.parse(out.trim().split('\n').pop() as string)).toEqual(['1 done, spent 3', 'refused: spent more than twice the estimate']);
      });

      it('plans the declared indexes with chronos migrate and the README config file', () => {
        const out = run('npx', ['chronos', 'migrate', '--dry-run'], app);
        expect(out).toMatch(/plan \(dry run/);
        expect(out).toMatch(/tasks/);
      });
    });
  }

  describe('a runtime-only app', { timeout: TIMEOUT }, () => {
    let app: string;
    beforeAll(() => {
      app = fresh('chronos-runtime-only-');
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'runtime-only', private: true }));
      run('npm', [...INSTALL, tarball(), dev('zod')], app);
    }, TIMEOUT);

    it('installs none of the CLI tools and no storage SDK', () => {
      const installed = readdirSync(join(app, 'node_modules'));
      for (const name of ['ts-morph', '@ts-morph', 'typescript', 'tsx', 'esbuild', '@esbuild', '@aws-sdk', '@azure', '@smithy']) expect(installed).not.toContain(name);
      const mb = sizeMb(join(app, 'node_modules'));
      console.log(`runtime-only app, no storage SDK: node_modules ${mb} MB`);
      expect(mb).toBeLessThan(30);
    });

    it('names the SDK to install when S3 storage is used without it, and the CLI names its tools', () => {
      const script = `const { initChronos } = require('chronos-db');
const chronos = initChronos({
  dbConnections: { main: { mongoUri: process.env.MONGODB_URI } },
  spacesConnections: { s3: { endpoint: 'http://127.0.0.1:9', accessKey: 'a', secretKey: 'b' } },
  databases: { runtime: { tenantDatabases: [{ tenantId: 't', dbConnRef: 'main', spaceConnRef: 's3', bucket: 'b-x', dbName: 'rt_only_${Date.now()}' }] } },
});
chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 't', collection: 'c' }).create({ a: 1 })
  .then(() => console.log('written'), (e) => console.log(e.name + ': ' + e.message))
  .finally(() => chronos.admin.shutdown());`;
      writeFileSync(join(app, 's3.cjs'), script);
      expect(run(process.execPath, ['s3.cjs'], app)).toMatch(/ConfigError: [\s\S]*npm install @aws-sdk\/client-s3 @aws-sdk\/s3-request-presigner/);
      expect(runStatus('npx', ['chronos', 'generate'], app)).toMatchObject({ status: 1, out: expect.stringMatching(/chronos generate needs tsx.*npm install -D tsx/) });
      writeFileSync(join(app, 'chronos.config.ts'), 'export default {};\n');
      expect(runStatus('npx', ['chronos', 'migrate', '--dry-run'], app)).toMatchObject({ status: 1, out: expect.stringMatching(/loading chronos\.config\.ts needs tsx .*npm install -D tsx/) });
    });

    it('stays under 45 MB with the S3 SDK added, and then writes to S3', () => {
      run('npm', [...INSTALL, dev('@aws-sdk/client-s3'), dev('@aws-sdk/s3-request-presigner')], app);
      const mb = sizeMb(join(app, 'node_modules'));
      console.log(`runtime-only S3 app: node_modules ${mb} MB`);
      expect(mb).toBeLessThan(45);
      const s3 = { endpoint: process.env.CHRONOS_TEST_S3_ENDPOINT, accessKey: process.env.CHRONOS_TEST_S3_ACCESS_KEY, secretKey: process.env.CHRONOS_TEST_S3_SECRET_KEY };
      const script = readFileSync(join(app, 's3.cjs'), 'utf8').replace(`{ endpoint: 'http://127.0.0.1:9', accessKey: 'a', secretKey: 'b' }`, JSON.stringify(s3)).replace("'b-x'", `'rt-only-${Date.now()}'`);
      writeFileSync(join(app, 's3-real.cjs'), script);
      expect(run(process.execPath, ['s3-real.cjs'], app).trim()).toBe('written');
    });
  });
}
