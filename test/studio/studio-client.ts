/**
 * A tiny HTTP client for the Studio tests: requests with or without the access cookie, JSON
 * bodies, and the CSRF token of the session.
 */
import type { StudioServer } from '../../cli/studio/studio-server.js';

/** A JSON answer as the tests read it (its shape is what the assertions check). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers of many shapes and their assertions check them
export type JsonBody = any;

/** What a test request sends beyond the path. */
export interface RequestOptions {
  method?: string;
  /** Send the access cookie (default true). */
  auth?: boolean;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends one request to the Studio; never follows redirects. */
export function studioRequest(studio: StudioServer, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(options.auth === false ? {} : { cookie: `${studio.cookieName}=${studio.secrets.token}` }), ...options.headers };
  return fetch(studio.origin + path, { method: options.method ?? 'GET', headers, redirect: 'manual', ...(options.body !== undefined && { body: options.body }) });
}

/** GETs a JSON API path with query parameters; resolves to `{ status, body }`. */
export async function getJson(studio: StudioServer, path: string, params: Record<string, string | number | undefined> = {}): Promise<{ status: number; body: JsonBody }> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const res = await studioRequest(studio, `${path}?${q.toString()}`);
  return { status: res.status, body: await res.json() };
}

/** POSTs a restore as the Studio's page does (CSRF header, JSON, same origin), with overrides. */
export async function postRestore(studio: StudioServer, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: JsonBody }> {
  const res = await studioRequest(studio, '/api/restore', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-chronos-csrf': studio.secrets.csrf, origin: studio.origin, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
