/**
 * The package as users get it: built, packed with `npm pack`, unpacked into a fresh project, then
 * loaded with `import` and with `require`. Dependencies are linked from this checkout's
 * node_modules so the test needs no registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudioProcess } from '../studio/studio-process.js';

const root = resolve(import.meta.dirname, '../..');
let project: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'chronos-pack-'));
  run('npm', ['run', 'build', '--silent'], root);
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', project], root).trim().split('\n').pop() as string;
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'chronos-db'), { recursive: true });
  run('tar', ['-xzf', join(project, tarball), '-C', join(modules, 'chronos-db'), '--strip-components=1'], project);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'chronos-db' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 180_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
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
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'cli.js']));
  });

  it('installs a chronos bin that prints its usage', () => {
    const out = run('node', [join(project, 'node_modules', 'chronos-db', 'dist', 'cli.js'), '--help'], project);
    expect(out).toMatch(/generate/);
    expect(out).toMatch(/migrate/);
  });

  it('serves the Studio from the packed files (page and assets, no sources needed)', async () => {
    // The config is never connected to: the page and the session need no database.
    writeFileSync(
      join(project, 'studio.config.mjs'),
      "export default { dbConnections: { m: { mongoUri: 'mongodb://127.0.0.1:9' } }, spacesConnections: {}, localStorage: { enabled: true, basePath: '/tmp/chronos-pack-studio' }, databases: { logs: { dbConnRef: 'm', dbName: 'logs' } } };\n",
    );
    const studio = await startStudioProcess(join(project, 'studio.config.mjs'), [], { builtCli: join(project, 'node_modules', 'chronos-db', 'dist', 'cli.js'), cwd: project });
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
