/**
 * The Studio's HTTP server: plain `node:http`, one handler per API path, the access checks of
 * `security.ts` before anything else, and the page's assets from memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chronos } from '../../runtime/chronos.js';
import { isChronosError } from '../../runtime/errors.js';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { fieldHistory, versionChanges } from './api-changes.js';
import { counters, navigation, sessionInfo } from './api-navigation.js';
import { diffVersions, getAsOfView, getBlob, getRecord, getVersionView, listRecords, listVersions } from './api-records.js';
import { restoreVersion } from './api-restore.js';
import { readJsonBody, SECURITY_HEADERS, sendBytes, sendJson, StudioHttpError } from './http-io.js';
import { checkAccess, checkWriteRequest, createSecrets, hostAllowed, tokenCookie, tokenCookieName, type StudioSecrets } from './security.js';
import { loadAssets } from './static-assets.js';
import type { StudioContext } from './studio-context.js';

/** How to start a Studio server. */
export interface StudioServerOptions {
  chronos: Chronos;
  declarations?: ReadonlyMap<string, AnyCollectionDefinition>;
  /** Allow restores; default false (read-only). */
  write?: boolean;
  /** Address to bind; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Further host names (`name` or `name:port`) the browser may reach the Studio under. */
  allowHosts?: readonly string[];
  /** Secrets to use instead of fresh random ones (tests). */
  secrets?: StudioSecrets;
  /** Called with each failed request's unexpected error (default: written to stderr). */
  onError?: (error: unknown) => void;
}

/** A running Studio. */
export interface StudioServer {
  /** The URL to open, with the access token. */
  url: string;
  /** The URL without the token (what a stranger would have). */
  origin: string;
  secrets: StudioSecrets;
  /** The cookie that carries the token after the first request. */
  cookieName: string;
  server: Server;
  close(): Promise<void>;
}

/** What a browser without the access cookie is shown instead of the Studio (plain HTML: no script, no style). */
const SIGN_IN_PAGE = Buffer.from(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Chronos Studio</title></head>
<body>
<h1>Chronos Studio: not signed in</h1>
<p>Open the URL that <code>chronos studio</code> printed in its terminal: it carries the access token.
The Studio remembers it in a cookie until the process stops, so after a restart open the new URL.</p>
<form method="get" action="/"><label>Or paste the token here: <input name="token" autocomplete="off" size="66" required></label> <button type="submit">Sign in</button></form>
</body></html>
`);

type GetHandler = (studio: StudioContext, params: URLSearchParams) => Promise<unknown> | unknown;

const GET_API: Readonly<Record<string, GetHandler>> = {
  '/api/session': (studio) => sessionInfo(studio),
  '/api/nav': (studio) => navigation(studio),
  '/api/counters': counters,
  '/api/records': listRecords,
  '/api/record': getRecord,
  '/api/versions': listVersions,
  '/api/version': getVersionView,
  '/api/asof': getAsOfView,
  '/api/diff': diffVersions,
  '/api/changes': versionChanges,
  '/api/field-history': fieldHistory,
};

const STATUS_BY_CODE: Readonly<Record<string, number>> = { ROUTE_UNRESOLVED: 404, NOT_FOUND: 404, VALIDATION_FAILED: 400, CONFLICT: 409 };

function sendError(res: ServerResponse, error: unknown, onError: (error: unknown) => void): void {
  if (error instanceof StudioHttpError) return sendJson(res, error.status, { error: error.message, ...error.details });
  if (isChronosError(error) && error.code === 'NOT_FOUND' && error.cause !== undefined) {
    // A storage miss names the bucket and object key: the detail stays in the terminal.
    onError(error);
    return sendJson(res, 404, { error: 'the stored data of this version is missing from object storage: see the terminal running chronos studio', code: error.code });
  }
  if (isChronosError(error) && STATUS_BY_CODE[error.code] !== undefined) {
    const currentOv = (error as { currentOv?: unknown }).currentOv;
    return sendJson(res, STATUS_BY_CODE[error.code] as number, { error: error.message, code: error.code, ...(typeof currentOv === 'number' && { currentOv }) });
  }
  // Unexpected errors (storage, driver) may name endpoints: their detail stays in the terminal.
  onError(error);
  sendJson(res, 500, { error: 'internal error: see the terminal running chronos studio', ...(isChronosError(error) && { code: error.code }) });
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK_BINDS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostPort(name: string, port: number): string {
  const bare = name.toLowerCase();
  if (/:\d+$/.test(bare) && !/^[0-9a-f:]+$/.test(bare)) return bare;
  return `${bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare}:${port}`;
}

/**
 * The `Host` (and `Origin` host) values a request may carry: the bound address, the loopback
 * names when the Studio is reachable over loopback (bound to it or to every interface), and every
 * `--allow-host` name. Binding to every interface never switches the check off.
 */
export function allowedHostsFor(host: string, port: number, allowHosts: readonly string[] = []): Set<string> {
  const names = new Set<string>();
  if (!WILDCARDS.has(host)) names.add(hostPort(host, port));
  if (WILDCARDS.has(host) || LOOPBACK_BINDS.has(host)) for (const n of LOOPBACK_NAMES) names.add(`${n}:${port}`);
  for (const name of allowHosts) names.add(hostPort(name, port));
  return names;
}

/** Starts a Studio server and resolves once it listens. */
export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const assets = await loadAssets();
  const secrets = options.secrets ?? createSecrets();
  const host = options.host ?? '127.0.0.1';
  const onError = options.onError ?? ((e: unknown) => process.stderr.write(`chronos studio: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  const studio: StudioContext = { chronos: options.chronos, declarations: options.declarations ?? new Map(), write: options.write ?? false, csrf: secrets.csrf };
  let allowedHosts = new Set<string>();
  let cookieName = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://studio.invalid');
    if (!hostAllowed(req, allowedHosts)) return sendJson(res, 403, { error: `unexpected Host header ${JSON.stringify(req.headers.host ?? '')}` });
    const access = checkAccess(req, url, secrets, cookieName);
    if (!access.ok) {
      // A page load (a bookmark, a deep link) gets a page that says how to sign in; API calls get JSON.
      if (req.method === 'GET' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/assets/')) return sendBytes(res, 401, SIGN_IN_PAGE, 'text/html; charset=utf-8');
      return sendJson(res, 401, { error: access.reason });
    }
    const cookie: Record<string, string> = access.via === 'query' ? { 'set-cookie': tokenCookie(cookieName, secrets.token) } : {};
    if (req.method === 'GET' && url.pathname === '/' && access.via === 'query') {
      // Keep the token out of the address bar and history once the cookie holds it.
      res.writeHead(303, { ...SECURITY_HEADERS, ...cookie, location: '/' });
      return void res.end();
    }
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/assets/'))) {
      const asset = assets.get(url.pathname === '/' ? 'index.html' : url.pathname.slice('/assets/'.length));
      if (!asset) return sendJson(res, 404, { error: `no asset ${url.pathname}` });
      return sendBytes(res, 200, asset.body, asset.contentType, cookie);
    }
    if (req.method === 'GET' && url.pathname === '/api/blob') {
      const blob = await getBlob(studio, url.searchParams);
      // An attachment in a sandbox: stored bytes never run as a page on the Studio's origin.
      return sendBytes(res, 200, blob.bytes, blob.contentType, { ...cookie, 'content-disposition': `attachment; filename="${blob.fileName}"`, 'content-security-policy': 'sandbox' });
    }
    const getHandler = GET_API[url.pathname];
    if (req.method === 'GET' && getHandler) return sendJson(res, 200, await getHandler(studio, url.searchParams), cookie);
    if (req.method === 'POST' && url.pathname === '/api/restore') {
      const refused = checkWriteRequest(req, secrets, allowedHosts);
      if (refused) return sendJson(res, 403, { error: refused });
      return sendJson(res, 200, await restoreVersion(studio, await readJsonBody(req)), cookie);
    }
    sendJson(res, req.method === 'GET' || req.method === 'POST' ? 404 : 405, { error: `no ${req.method ?? ''} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, error, onError);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = allowedHostsFor(host, port, options.allowHosts);
  cookieName = tokenCookieName(port);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/?token=${secrets.token}`,
    origin,
    secrets,
    cookieName,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
