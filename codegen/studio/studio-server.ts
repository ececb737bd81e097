/**
 * The Studio's HTTP server: plain `node:http`, one handler per API path, the access checks of
 * `security.ts` before anything else, and the page's assets from memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chronos } from '../../runtime/chronos.js';
import { isChronosError } from '../../runtime/errors.js';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
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
};

const STATUS_BY_CODE: Readonly<Record<string, number>> = { ROUTE_UNRESOLVED: 404, NOT_FOUND: 404, VALIDATION_FAILED: 400, CONFLICT: 409 };

function sendError(res: ServerResponse, error: unknown, onError: (error: unknown) => void): void {
  if (error instanceof StudioHttpError) return sendJson(res, error.status, { error: error.message, ...error.details });
  if (isChronosError(error) && STATUS_BY_CODE[error.code] !== undefined) {
    const currentOv = (error as { currentOv?: unknown }).currentOv;
    return sendJson(res, STATUS_BY_CODE[error.code] as number, { error: error.message, code: error.code, ...(typeof currentOv === 'number' && { currentOv }) });
  }
  // Unexpected errors (storage, driver) may name endpoints: their detail stays in the terminal.
  onError(error);
  sendJson(res, 500, { error: 'internal error: see the terminal running chronos studio', ...(isChronosError(error) && { code: error.code }) });
}

function allowedHostsFor(host: string, port: number): Set<string> | undefined {
  if (host === '0.0.0.0' || host === '::') return undefined;
  const names = new Set([`${host}:${port}`.toLowerCase()]);
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') for (const n of ['127.0.0.1', 'localhost', '[::1]']) names.add(`${n}:${port}`);
  return names;
}

/** Starts a Studio server and resolves once it listens. */
export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const assets = await loadAssets();
  const secrets = options.secrets ?? createSecrets();
  const host = options.host ?? '127.0.0.1';
  const onError = options.onError ?? ((e: unknown) => process.stderr.write(`chronos studio: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  const studio: StudioContext = { chronos: options.chronos, declarations: options.declarations ?? new Map(), write: options.write ?? false, csrf: secrets.csrf };
  let allowedHosts: Set<string> | undefined;
  let cookieName = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://studio.invalid');
    if (allowedHosts && !hostAllowed(req, allowedHosts)) return sendJson(res, 403, { error: `unexpected Host header ${JSON.stringify(req.headers.host ?? '')}` });
    const access = checkAccess(req, url, secrets, cookieName);
    if (!access.ok) return sendJson(res, 401, { error: access.reason });
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
      const refused = checkWriteRequest(req, secrets, allowedHosts ?? new Set([String(req.headers.host ?? '').toLowerCase()]));
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
  allowedHosts = allowedHostsFor(host, port);
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
