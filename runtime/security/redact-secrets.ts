/**
 * Keeps credentials out of error text. Driver and SDK errors can quote the URL or connection
 * string they were given (a password in `user:pass@`, a SAS `sig`, an Azure `AccountKey`, an S3
 * presigned `X-Amz-Signature`/`X-Amz-Credential`), and `util.inspect` of a wrapped error prints
 * its whole `cause` chain. Every {@link ChronosError} runs its message through
 * {@link redactSecrets} and its cause through {@link scrubError}, so no wrap site can forget to.
 */

import { EventEmitter } from 'node:events';

/** What replaces a secret. */
export const REDACTED = '***';

/**
 * Query and connection-string parameters whose value is a credential (compared ignoring case):
 * Azure SAS (`sig`) and connection strings (`AccountKey`, `SharedAccessSignature`), S3 presigned
 * URLs (`X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`), and the generic names.
 */
const SECRET_PARAMS = [
  'sig',
  'signature',
  'accountkey',
  'sharedaccesskey',
  'sharedaccesssignature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'awssecretaccesskey',
  'aws_secret_access_key',
  'secretkey',
  'secret',
  'password',
  'pwd',
  'token',
  'access_token',
  'api_key',
  'apikey',
];

// `name=value` where name is a secret parameter, at the start of a query/parameter list or after a
// separator (`?`, `&`, `;`, whitespace, a quote); the value runs to the next separator.
const PARAM = new RegExp(`(^|[?&;\\s"'(,])(${SECRET_PARAMS.map((p) => p.replace(/[-]/g, '\\-')).join('|')})=([^&;\\s"',)]*)`, 'gi');
// `scheme://user:password@`: the password part of a URL's userinfo (the user name is kept).
const USERINFO_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]*)@/gi;
// `Authorization: SharedKey acct:signature`, `Bearer token`, ... in quoted headers.
const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?)([^"'\r\n]+)/gi;

/** `text` with every credential found in it (see {@link SECRET_PARAMS}, URL passwords, Authorization headers) replaced by {@link REDACTED}. */
export function redactSecrets(text: string): string {
  return text
    .replace(USERINFO_PASSWORD, `$1:${REDACTED}@`)
    .replace(PARAM, `$1$2=${REDACTED}`)
    .replace(AUTH_HEADER, `$1${REDACTED}`);
}

/** How deep {@link scrubError} follows nested objects and causes, and how many objects it visits at most. */
const MAX_DEPTH = 8;
const MAX_OBJECTS = 2000;

/** Replaces `holder[key]` by its redacted form; false when it holds a credential that cannot be replaced. */
function scrubString(holder: object, key: PropertyKey, value: string): boolean {
  const clean = redactSecrets(value);
  if (clean === value) return true;
  try {
    (holder as Record<PropertyKey, unknown>)[key] = clean;
    if ((holder as Record<PropertyKey, unknown>)[key] === clean) return true;
  } catch {
    // A read-only or accessor prop: try defining it below.
  }
  try {
    Object.defineProperty(holder, key, { value: clean, writable: true, configurable: true, enumerable: Object.prototype.propertyIsEnumerable.call(holder, key) });
    return true;
  } catch {
    // A frozen object: the caller falls back to a sanitized copy.
    return false;
  }
}

/** Scrubs `value` and what it holds in place; false when some credential could not be removed. */
function scrub(value: unknown, depth: number, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value) || seen.size >= MAX_OBJECTS) return true;
  // Sockets, streams and clients (all event emitters) are live machinery, not error detail.
  if (value instanceof EventEmitter) return true;
  seen.add(value);
  if (value instanceof Map) {
    let clean = true;
    for (const inner of value.values()) clean = scrub(inner, depth + 1, seen) && clean;
    return clean;
  }
  if (ArrayBuffer.isView(value)) return true;
  // Own props, enumerable or not (an Error's message, stack and cause are not enumerable).
  let keys: PropertyKey[];
  try {
    keys = Reflect.ownKeys(value);
  } catch {
    return true;
  }
  let clean = true;
  for (const key of keys) {
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(value, key);
    } catch {
      continue;
    }
    // Accessors are left alone: reading them may run SDK code.
    if (!descriptor || !('value' in descriptor)) continue;
    if (typeof descriptor.value === 'string') clean = scrubString(value, key, descriptor.value) && clean;
    else clean = scrub(descriptor.value, depth + 1, seen) && clean;
  }
  return clean;
}

/** A plain Error standing in for `error`: its name, message, stack and code, redacted, and its cause scrubbed. */
function sanitizedCopy(error: unknown): Error {
  const source = error instanceof Error ? error : undefined;
  const copy = new Error(redactSecrets(source ? source.message : String(error)));
  copy.name = source?.name ?? 'Error';
  copy.stack = redactSecrets(source?.stack ?? `${copy.name}: ${copy.message}`);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  if (source?.cause !== undefined) copy.cause = scrubError(source.cause);
  return copy;
}

/**
 * Removes credentials from `error`: the message, the stack and every string prop of it and of the
 * objects it holds (its `cause` chain, a request's URL, a topology description), so
 * `util.inspect(error, { depth })` shows none. Objects are changed in place, so a wrapped error
 * keeps its class and fields for classification (`instanceof`, `code`); only strings that hold a
 * credential change. When that is impossible (a frozen error), returns a sanitized plain copy
 * (name, message, stack, code, cause) instead. Returns the error to keep as `cause`.
 */
export function scrubError<T>(error: T): T | Error {
  return scrub(error, 0, new Set()) ? error : sanitizedCopy(error);
}
