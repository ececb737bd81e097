/**
 * The Studio's security model, over HTTP against a real server: the token on every request
 * (cookie after the first), 401 otherwise; Host checking; CSRF, Origin and content-type checks
 * on restore; no secret of the config in anything the browser can fetch; no CDN.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedHostsFor, startStudioServer } from '../../cli/studio/studio-server.js';
import { initChronos } from '../../runtime/index.js';
import { NOTES_CTX, startStudioFixture, type StudioFixture } from './studio-fixture.js';
import { postRestore, studioRequest } from './studio-client.js';

let f: StudioFixture;

beforeAll(async () => {
  f = await startStudioFixture({ write: true });
});

afterAll(async () => {
  await f?.close();
});

const record = () => `?${new URLSearchParams({ ...NOTES_CTX, id: f.noteId })}`;

describe('the access token', () => {
  it('is required on every path: the page, its assets and the API answer 401 without it', async () => {
    for (const path of ['/', '/assets/app.js', '/api/session', '/api/nav', `/api/record${record()}`, `/api/versions${record()}`, `/api/changes${record()}&ovs=0,1`, `/api/field-history${record()}&field=title`]) {
      const res = await studioRequest(f.studio, path, { auth: false });
      expect(res.status, path).toBe(401);
      expect(await res.text()).not.toContain(f.noteId);
    }
  });

  it('refuses a wrong token in the cookie or the URL', async () => {
    const wrong = 'f'.repeat(64);
    expect((await studioRequest(f.studio, '/api/session', { auth: false, headers: { cookie: `${f.studio.cookieName}=${wrong}` } })).status).toBe(401);
    expect((await studioRequest(f.studio, `/?token=${wrong}`, { auth: false })).status).toBe(401);
    expect((await studioRequest(f.studio, `/?token=${f.studio.secrets.token.slice(0, -1)}`, { auth: false })).status).toBe(401);
  });

  it('in the printed URL sets an HttpOnly, SameSite=Strict cookie and redirects to a URL without it', async () => {
    const res = await fetch(f.studio.url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`${f.studio.cookieName}=${f.studio.secrets.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await studioRequest(f.studio, '/', { headers: { cookie: cookie.split(';')[0] as string }, auth: false });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Chronos Studio');
  });

  it('turns away a Host header that is not the Studio (DNS rebinding)', async () => {
    // fetch cannot set Host (a forbidden header), so this request goes through node:http.
    const status = (host: string) =>
      new Promise<number>((done, fail) => {
        const url = new URL('/api/session', f.studio.origin);
        const req = request(url, { headers: { host, cookie: `${f.studio.cookieName}=${f.studio.secrets.token}` } }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end();
      });
    expect(await status('attacker.example:80')).toBe(403);
    expect(await status(new URL(f.studio.origin).host)).toBe(200);
    expect(await status(`localhost:${new URL(f.studio.origin).port}`)).toBe(200);
  });
});

describe('the allowed Host names', () => {
  it('on another address are that address, the --allow-host names, and no loopback name', () => {
    expect([...allowedHostsFor('10.1.2.3', 4983, ['studio.internal', 'Other.Example:8080'])]).toEqual(['10.1.2.3:4983', 'studio.internal:4983', 'other.example:8080']);
  });

  it('on every interface are the loopback names and the --allow-host names: the check never turns off', () => {
    expect([...allowedHostsFor('0.0.0.0', 4983)]).toEqual(['127.0.0.1:4983', 'localhost:4983', '[::1]:4983']);
    expect([...allowedHostsFor('::', 80, ['fe80::1'])]).toEqual(['127.0.0.1:80', 'localhost:80', '[::1]:80', '[fe80::1]:80']);
  });
});

describe('restore is protected against cross-site requests', () => {
  const body = () => ({ ...NOTES_CTX, id: f.noteId, ov: 0, expectedOv: 3, reason: 'csrf attempt' });

  it('without the CSRF header', async () => {
    const { status } = await postRestore(f.studio, body(), { 'x-chronos-csrf': '' });
    expect(status).toBe(403);
  });

  it('with the access token used as the CSRF token', async () => {
    const { status } = await postRestore(f.studio, body(), { 'x-chronos-csrf': f.studio.secrets.token });
    expect(status).toBe(403);
  });

  it('from another origin', async () => {
    const { status, body: answer } = await postRestore(f.studio, body(), { origin: 'http://evil.example' });
    expect(status).toBe(403);
    expect(answer.error).toMatch(/cross-origin/);
  });

  it('as a form post (a content type a cross-site form can send)', async () => {
    const { status } = await postRestore(f.studio, body(), { 'content-type': 'text/plain' });
    expect(status).toBe(403);
  });

  it('and nothing was written by any of them', async () => {
    expect((await f.chronos.with(NOTES_CTX).history(f.noteId)).length).toBe(4);
  });
});

describe('secrets of the config', () => {
  it('never appear in what the browser can fetch', async () => {
    const config = f.chronos.config;
    const secrets = [
      ...Object.values(config.dbConnections).map((c) => c.mongoUri),
      ...Object.values(config.spacesConnections).flatMap((s) => [s.accessKey, s.secretKey, s.endpoint]),
    ].filter((s): s is string => typeof s === 'string' && s.length > 0);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    const paths = ['/', '/assets/app.js', '/api/session', '/api/nav', `/api/records?${new URLSearchParams(NOTES_CTX)}`, `/api/record${record()}`, `/api/versions${record()}`, `/api/version${record()}&ov=0`, `/api/diff${record()}&a=0&b=3`, '/api/counters?tenantId=acme&collection=notes', `/api/changes${record()}&ovs=0,1,2,3`, `/api/field-history${record()}&field=title`];
    for (const path of paths) {
      const text = await (await studioRequest(f.studio, path)).text();
      for (const secret of secrets) expect(text, `${path} leaks a secret`).not.toContain(secret);
    }
  });

  it('stay in the terminal when an unexpected error happens', async () => {
    const mongoUri = 'mongodb://studio-user:hunter2-secret@127.0.0.1:9/?serverSelectionTimeoutMS=300';
    const chronos = initChronos({
      dbConnections: { m: { mongoUri } },
      spacesConnections: {},
      localStorage: { enabled: true, basePath: mkdtempSync(join(tmpdir(), 'chronos-studio-')) },
      databases: { logs: { dbConnRef: 'm', dbName: 'studio_logs' } },
    });
    const logged: unknown[] = [];
    const studio = await startStudioServer({ chronos, onError: (e) => logged.push(e) });
    try {
      const res = await studioRequest(studio, '/api/nav');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toContain('see the terminal');
      expect(text).not.toContain('hunter2-secret');
      expect(text).not.toContain('127.0.0.1:9');
      expect(logged).toHaveLength(1);
    } finally {
      await studio.close();
      await chronos.admin.shutdown();
    }
  });
});

describe('offline', () => {
  it('the page loads nothing from another origin', () => {
    const dir = resolve(import.meta.dirname, '../../cli/studio/assets');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(resolve(dir, file), 'utf8');
      expect(text, file).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//);
      expect(text, file).not.toMatch(/@import\s+url|fetch\(\s*['"`]https?:/);
    }
  });

  it('every answer forbids framing and loading from elsewhere', async () => {
    const res = await studioRequest(f.studio, '/');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
