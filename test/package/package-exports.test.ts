/**
 * The package as users get it: built, packed with `npm pack`, unpacked into a fresh project, then
 * loaded with `import` and with `require`. Dependencies are linked from this checkout's
 * node_modules here; the fresh apps of `fresh-apps.ts` install from the registry.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudioProcess } from '../studio/studio-process.js';
import { freshAppSuites } from './fresh-apps.js';

const root = resolve(import.meta.dirname, '../..');
let project: string;
let tarball: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'chronos-pack-'));
  run('npm', ['run', 'build', '--silent'], root);
  tarball = join(project, run('npm', ['pack', '--silent', '--pack-destination', project], root).trim().split('\n').pop() as string);
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'chronos-db'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(modules, 'chronos-db'), '--strip-components=1'], project);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'chronos-db' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 180_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('errors and classes in the built package', () => {
  const probe = (file: string, source: string) => {
    writeFileSync(join(project, file), source);
    return JSON.parse(run(process.execPath, [file], project)) as unknown;
  };
  const check = `
    let thrown;
    try { schema.defineCollection({ name: '1-bad', schema: {}, indexedProps: [], placement: [] }); } catch (e) { thrown = e; }
    const names = ['ChronosError', 'ConfigError', 'ValidationError', 'RouteError', 'NotFoundError', 'ConflictError', 'StorageError'];
    const made = names.map((n) => n === 'ConfigError' || n === 'ValidationError' ? new main[n]([]) : n === 'ConflictError' ? new main[n]('x', 1) : new main[n]('x'));
    console.log(JSON.stringify({
      names: made.map((e) => e.name),
      sameError: thrown instanceof main.ConfigError && thrown.name === 'ConfigError',
      sameRepository: main.CollectionRepository === schema.CollectionRepository,
    }));`;
  const expected = { names: ['ChronosError', 'ConfigError', 'ValidationError', 'RouteError', 'NotFoundError', 'ConflictError', 'StorageError'], sameError: true, sameRepository: true };

  it('gives every error its class name, and one class identity across chronos-db and chronos-db/schema, in ESM', () => {
    expect(probe('identity.mjs', `import * as main from 'chronos-db';\nimport * as schema from 'chronos-db/schema';\n${check}`)).toEqual(expected);
  });

  it('does the same in CommonJS', () => {
    expect(probe('identity.cjs', `const main = require('chronos-db');\nconst schema = require('chronos-db/schema');\n${check}`)).toEqual(expected);
  });
});

describe('the packed package', () => {
  it('loads with import from an ES module', () => {
    writeFileSync(join(project, 'esm.mjs'), "import { initChronos, ConflictError, isChronosError } from 'chronos-db';\nconsole.log(typeof initChronos, typeof ConflictError, isChronosError(new ConflictError('x', 1)));\n");
    expect(run('node', ['esm.mjs'], project).trim()).toBe('function function true');
  });

  it('loads with require from CommonJS', () => {
    writeFileSync(join(project, 'cjs.cjs'), "const { initChronos, ValidationError } = require('chronos-db');\nconsole.log(typeof initChronos, new ValidationError([]).code);\n");
    expect(run('node', ['cjs.cjs'], project).trim()).toBe('function VALIDATION_FAILED');
  });

  it('recognises an error from the other build with isChronosError', () => {
    writeFileSync(
      join(project, 'dual.mjs'),
      "import { createRequire } from 'node:module';\nimport { isChronosError, ConfigError } from 'chronos-db';\nconst cjs = createRequire(import.meta.url)('chronos-db');\nconst e = new cjs.ConfigError([]);\nconsole.log(e instanceof ConfigError, isChronosError(e));\n",
    );
    expect(run('node', ['dual.mjs'], project).trim()).toBe('false true');
  });

  it('ships type declarations for both module systems', () => {
    const files = readdirSync(join(project, 'node_modules', 'chronos-db', 'dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'schema.js', 'schema.cjs', 'cli']));
  });

  it('ships no source maps, and every file the README links to', () => {
    const unpacked = join(project, 'node_modules', 'chronos-db');
    const all = readdirSync(unpacked, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.map'))).toEqual([]);
    const readme = readFileSync(join(unpacked, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] as string).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !existsSync(join(unpacked, l)))).toEqual([]);
  });

  it('installs a chronos bin that prints its usage', () => {
    const out = run(process.execPath, [join(project, 'node_modules', 'chronos-db', 'dist', 'cli', 'cli.js'), '--help'], project);
    expect(out).toMatch(/generate/);
    expect(out).toMatch(/migrate/);
  });

  it('serves the Studio from the packed files (page and assets, no sources needed)', async () => {
    // The config is never connected to: the page and the session need no database.
    writeFileSync(
      join(project, 'studio.config.mjs'),
      "export default { dbConnections: { m: { mongoUri: 'mongodb://127.0.0.1:9' } }, spacesConnections: {}, localStorage: { enabled: true, basePath: '/tmp/chronos-pack-studio' }, databases: { logs: { dbConnRef: 'm', dbName: 'logs' } } };\n",
    );
    const studio = await startStudioProcess(join(project, 'studio.config.mjs'), [], { builtCli: join(project, 'node_modules', 'chronos-db', 'dist', 'cli', 'cli.js'), cwd: project });
    try {
      const first = await fetch(studio.url, { redirect: 'manual' });
      expect(first.status).toBe(303);
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await fetch(`${studio.origin}/`, { headers: { cookie } });
      expect(await page.text()).toContain('<title>Chronos Studio</title>');
      for (const asset of ['app.js', 'api.js', 'dom.js', 'record.js', 'app.css']) {
        expect((await fetch(`${studio.origin}/assets/${asset}`, { headers: { cookie } })).status, asset).toBe(200);
      }
      expect((await fetch(`${studio.origin}/api/session`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${studio.origin}/api/session`)).status).toBe(401);
    } finally {
      await studio.stop();
    }
  });
});

freshAppSuites(() => tarball);
