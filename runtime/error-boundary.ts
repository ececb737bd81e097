/**
 * Where raw failures become Chronos errors: {@link asChronosError} sends each failure to the
 * mapper of the outside system it came from (MongoDB: `mongo/database-errors.ts`; object storage:
 * `storage/storage-errors.ts`, after each adapter's own `s3-errors.ts`, `azure-errors.ts`,
 * `local-object-store.ts`), and {@link withChronosErrors} wraps an API so its methods raise
 * nothing else. Every caller-facing error is a {@link ChronosError} with the original as `cause`.
 */
import { ChronosError, isChronosError } from './errors.js';
import { isDatabaseFailure, toDatabaseError } from './mongo/database-errors.js';
import { isStorageTimeout, toStorageError } from './storage/storage-errors.js';

/**
 * The error a caller sees for `e`: Chronos errors as they are; MongoDB, BSON and socket failures
 * as a `DatabaseError` (transient when a retry may help); a storage request that timed out as a
 * transient `StorageError`; anything else as a plain {@link ChronosError}.
 *
 * @param what - names the step in the message, e.g. `"moving the head of orders/42 to v3"`.
 */
export function asChronosError(e: unknown, what: string): ChronosError {
  if (isChronosError(e)) return e;
  if (isStorageTimeout(e)) return toStorageError(e, what);
  if (isDatabaseFailure(e)) return toDatabaseError(e, what);
  return new ChronosError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`, 'CHRONOS_ERROR', { cause: e });
}

/** How {@link withChronosErrors} names a method's failures and which errors it lets through. */
export interface ErrorBoundary {
  /** The step named in a wrapped error's message, e.g. `messaging topics.create`. */
  name(method: string): string;
  /** Errors passed on unchanged (a test's injected crash). */
  passes?(e: unknown): boolean;
}

/**
 * A copy of `api` whose methods (sync or async) raise only Chronos errors: every other failure
 * goes through {@link asChronosError}. Non-function members are kept.
 */
export function withChronosErrors<T extends object>(api: T, boundary: ErrorBoundary): T {
  const wrap = (e: unknown, method: string): unknown => (boundary.passes?.(e) ? e : asChronosError(e, boundary.name(method)));
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(api)) {
    if (typeof member !== 'function') {
      out[name] = member;
      continue;
    }
    out[name] = (...args: unknown[]): unknown => {
      let result: unknown;
      try {
        result = (member as (...a: unknown[]) => unknown).apply(api, args);
      } catch (e) {
        throw wrap(e, name);
      }
      return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(wrap(e, name))) : result;
    };
  }
  return out as T;
}
