/**
 * The error boundary of the Mongo-only APIs (identities, messaging): whatever the driver, BSON or
 * the socket throws reaches the caller as a {@link DatabaseError} (transient when a retry may
 * help, the original as `cause`), so callers only ever see ChronosErrors with a code.
 */
import { BSON, MongoError } from 'mongodb';
import { DatabaseError, isChronosError, type ChronosError } from '../errors.js';
import { asChronosError } from '../retry/retry.js';
import { isTransientError } from '../retry/transient.js';

/** The ChronosError a caller sees for a failure `e` of `what`. */
export function toDatabaseError(e: unknown, what: string): ChronosError {
  if (isChronosError(e)) return e;
  if (e instanceof MongoError || e instanceof BSON.BSONError || isTransientError(e)) {
    const message = e instanceof Error ? e.message : String(e);
    return new DatabaseError(`${what} failed: ${message}`, { cause: e, transient: isTransientError(e) });
  }
  return asChronosError(e, what);
}

function guard(what: string, call: () => unknown): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    throw toDatabaseError(e, what);
  }
  return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(toDatabaseError(e, what))) : result;
}

/**
 * A copy of `api` whose methods (sync or async) raise only ChronosErrors: every other failure is
 * wrapped by {@link toDatabaseError}, named `<area>.<method>`. Non-function members are kept.
 */
export function withDatabaseErrors<T extends object>(api: T, area: string): T {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(api)) {
    out[name] = typeof member === 'function' ? (...args: unknown[]) => guard(`${area}.${name}`, () => (member as (...a: unknown[]) => unknown).apply(api, args)) : member;
  }
  return out as T;
}
