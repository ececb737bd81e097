/**
 * The Studio's access control. The server binds to loopback, but any local process and any web
 * page the user opens can reach loopback, so every request must prove it came from the person
 * who started the Studio: a random token, printed in the URL, then kept in an HttpOnly,
 * SameSite=Strict cookie. Writes also need a second secret that only the Studio's own page can
 * read (the CSRF token, sent back in a header), a same-origin `Origin`, and JSON content.
 * A `Host` check turns away DNS-rebinding pages that reach loopback under a foreign name.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Name of the cookie that carries the access token after the first request. Browsers do not
 * scope cookies by port, so the port is in the name: two Studios on one machine keep apart.
 */
export function tokenCookieName(port: number): string {
  return `chronos_studio_${port}`;
}
/** Header a write must carry with the CSRF token the page got from `/api/session`. */
const CSRF_HEADER = 'x-chronos-csrf';

/** The two secrets of one Studio process. */
export interface StudioSecrets {
  /** Grants access; printed in the URL. */
  token: string;
  /** Proves a write came from the Studio's own page. */
  csrf: string;
}

/** Fresh random secrets (256 bits each). */
export function createSecrets(): StudioSecrets {
  return { token: randomBytes(32).toString('hex'), csrf: randomBytes(32).toString('hex') };
}

/** Constant-time comparison of two strings. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** How a request proved (or failed to prove) that it may use the Studio. */
export type AccessResult = { ok: true; via: 'cookie' | 'query' } | { ok: false; reason: string };

/** Checks the token in the cookie `cookieName`, or in the `token` query parameter of the first request. */
export function checkAccess(req: IncomingMessage, url: URL, secrets: StudioSecrets, cookieName: string): AccessResult {
  if (sameSecret(cookieValue(req, cookieName), secrets.token)) return { ok: true, via: 'cookie' };
  if (sameSecret(url.searchParams.get('token') ?? undefined, secrets.token)) return { ok: true, via: 'query' };
  return { ok: false, reason: 'missing or wrong access token: open the URL `chronos studio` printed' };
}

/** The `Set-Cookie` value that keeps the token for later requests (never readable by scripts). */
export function tokenCookie(cookieName: string, token: string): string {
  return `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** True when the `Host` header names the address the Studio listens on (loopback names only when bound to loopback). */
export function hostAllowed(req: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  return host !== undefined && allowedHosts.has(host.toLowerCase());
}

/**
 * Checks that a write comes from the Studio's page: the CSRF header matches, the `Origin` (when
 * the browser sends one, as it does for every POST) is this server, and the body is JSON (which a
 * cross-site form cannot send without a preflight). Returns the reason when it does not.
 */
export function checkWriteRequest(req: IncomingMessage, secrets: StudioSecrets, allowedHosts: ReadonlySet<string>): string | undefined {
  const csrf = req.headers[CSRF_HEADER];
  if (!sameSecret(typeof csrf === 'string' ? csrf : undefined, secrets.csrf)) return `missing or wrong ${CSRF_HEADER} header`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return `unreadable Origin header ${JSON.stringify(origin)}`;
    }
    if (!allowedHosts.has(host)) return `cross-origin request from ${origin} refused`;
  }
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return 'a write must send Content-Type: application/json';
  return undefined;
}
