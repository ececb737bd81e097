// The Studio page's calls to its server: JSON GETs, and POSTs that carry the CSRF token.

const state = { session: null };

/** The session the server gave (`{ write, csrf }`). */
export function session() {
  return state.session;
}

/** Keeps the session for later requests. */
export function setSession(value) {
  state.session = value;
}

/** Thrown for an API answer that is not 2xx; carries the status and the JSON body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** GET an API path with parameters; resolves to the JSON body. */
export async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const res = await fetch(`${path}?${q.toString()}`, { credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** POST JSON to an API path, with the CSRF token the session gave. */
export async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-chronos-csrf': state.session.csrf },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}
