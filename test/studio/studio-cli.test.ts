/**
 * The `chronos` CLI as users meet it: `--help` on every command, and one line naming the fix for a
 * bad flag, a missing config and a taken port; `chronos studio --host 0.0.0.0` keeps the Host and
 * Origin checks (with `--allow-host` for further names); a version whose payload is missing from
 * storage answers 404 without naming the bucket or the object key.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES_CTX, startStudioFixture, writeConfigModule, type StudioFixture } from './studio-fixture.js';
import { getJson } from './studio-client.js';
import { startStudioProcess, type StudioProcess } from './studio-process.js';

const root = resolve(import.meta.dirname, '../..');
// tsx by path, so the CLI also runs from a folder outside the project (where `tsx` does not resolve).
const tsx = pathToFileURL(resolve(root, 'node_modules/tsx/dist/loader.mjs')).href;

function runCli(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', tsx, resolve(root, 'cli/cli.ts'), ...args], { cwd, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Sends GET `path` with a chosen Host (and Origin, for a POST) through node:http, which lets a test set them. */
function rawRequest(origin: string, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(new URL(path, origin), { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

let dir: string;
let f: StudioFixture;
let configFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chronos-studio-cli-'));
  f = await startStudioFixture({ write: true, storage: 'local' });
  configFile = await writeConfigModule(dir, f.config);
}, 120_000);

afterAll(async () => {
  await f?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('chronos --help and usage mistakes', () => {
  it.each(['generate', 'migrate', 'studio'])('chronos %s --help prints its usage and exits 0', async (command) => {
    const { code, stdout, stderr } = await runCli([command, '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: chronos ${command}`);
  });

  it('a bad flag is one line pointing at --help, exit 2', async () => {
    const { code, stderr } = await runCli(['studio', '--colour', 'blue', '--config', configFile]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual(['chronos: unknown option --colour (chronos studio): see `chronos studio --help` for its options']);
    expect((await runCli(['migrate', '--nope'])).stderr.trim()).toBe('chronos: unknown option --nope (chronos migrate): see `chronos migrate --help` for its options');
  });

  it('a missing config is one line naming --config, exit 2', async () => {
    const { code, stderr } = await runCli(['studio', '--no-open'], dir);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('no config file chronos.config.ts');
    expect(lines[0]).toContain('pass --config FILE');
  });

  it('a taken port is one line suggesting --port 0, exit 2', async () => {
    const port = new URL(f.studio.origin).port;
    const { code, stderr } = await runCli(['studio', '--config', configFile, '--no-open', '--port', port]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([`chronos: port ${port} on 127.0.0.1 is taken (another chronos studio?): pass --port 0 to pick a free port, or another --port N`]);
  });
});

describe('chronos studio --host 0.0.0.0', () => {
  let cli: StudioProcess;
  let cookie: string;
  let port: string;

  beforeAll(async () => {
    cli = await startStudioProcess(configFile, ['--host', '0.0.0.0', '--allow-host', 'studio.test', '--write']);
    port = new URL(cli.origin).port;
    const token = new URL(cli.url).searchParams.get('token') as string;
    cookie = `chronos_studio_${port}=${token}`;
  }, 90_000);

  afterAll(async () => {
    await cli?.stop();
  });

  it('says which host names requests must use', () => {
    expect(cli.output()).toContain(`requests must name one of: 127.0.0.1:${port}, localhost:${port}, [::1]:${port}, studio.test:${port}`);
  });

  it('still refuses a foreign Host header (DNS rebinding), and accepts loopback and --allow-host names', async () => {
    const status = async (host: string) => (await rawRequest(cli.origin, '/api/session', { host, cookie })).status;
    expect(await status(`attacker.example:${port}`)).toBe(403);
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`studio.test:${port}`)).toBe(200);
    expect(await status('studio.test:1')).toBe(403);
  });

  it('still refuses a restore from a foreign Origin', async () => {
    const session = JSON.parse((await rawRequest(cli.origin, '/api/session', { host: `127.0.0.1:${port}`, cookie })).text) as { csrf: string };
    const body = JSON.stringify({ ...NOTES_CTX, id: f.noteId, ov: 0, expectedOv: 3, reason: 'from afar' });
    const send = (origin: string) => rawRequest(cli.origin, '/api/restore', { host: `127.0.0.1:${port}`, cookie, origin, 'content-type': 'application/json', 'x-chronos-csrf': session.csrf }, 'POST', body);
    const foreign = await send('http://attacker.example');
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('cross-origin');
    // The same request from the Studio's own origin passes the checks and restores.
    const own = await send(`http://127.0.0.1:${port}`);
    expect(own.status).toBe(200);
  });
});

describe('a storage miss', () => {
  it('answers 404 without the bucket or object key', async () => {
    const base = f.config.localStorage?.basePath as string;
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d).forEach((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : files.push(join(d, n))));
    walk(base);
    const item = files.find((p) => p.includes(`${f.childId}`) && p.endsWith('/v0/item.json'));
    expect(item).toBeDefined();
    unlinkSync(item as string);
    const { status, body } = await getJson(f.studio, '/api/version', { ...NOTES_CTX, id: f.childId, ov: 0 });
    expect(status).toBe(404);
    expect(body.error).toContain('missing from object storage');
    const text = JSON.stringify(body);
    expect(text).not.toContain('item.json');
    expect(text).not.toContain(f.childId);
    expect(text).not.toContain(base);
  });
});
