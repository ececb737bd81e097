/**
 * Which failures a retry may fix (a storage outage, a dropped connection, a timeout, a primary
 * stepping down, a busy server): the one classification used by the engine's retry helper
 * (`retry.ts`) and by the fallback queue. Everything else (bad input, conflicts, missing
 * records, programming errors) is final.
 */
import {
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { isChronosError } from '../errors.js';
import { redactSecrets } from '../security/redact-secrets.js';
import type { FallbackErrorInfo } from '../fallback/types.js';

/** Server error codes that mean "not now" (shutdown, step-down, network, time limits). */
const TRANSIENT_SERVER_CODES = new Set([6, 7, 50, 89, 91, 112, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Messages of servers that are busy rather than wrong (FerretDB's SQLite backend says these under write contention). */
const BUSY_MESSAGE = /SQLITE_BUSY|database is locked|database table is locked/i;

/** Socket errors Node raises when a peer is away or drops the connection. */
const TRANSIENT_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * True when `error` is worth retrying later: a `StorageError` marked `transient`; a MongoDB
 * network, server-selection, timeout or closed-topology error (a server that was away at the
 * first operation: the pool's client connects again on the next call); a server error the
 * driver labels retryable; or a raw socket error such as `ECONNRESET`.
 */
export function isTransientError(error: unknown): boolean {
  if (isChronosError(error)) {
    return (error.code === 'STORAGE_FAILED' || error.code === 'DATABASE_FAILED') && (error as { transient?: unknown }).transient === true;
  }
  if (
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNetworkTimeoutError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoOperationTimeoutError
  ) {
    return true;
  }
  if (error instanceof MongoError) {
    if (error.hasErrorLabel(MongoErrorLabel.RetryableWriteError) || error.hasErrorLabel(MongoErrorLabel.TransientTransactionError)) return true;
    // Server errors, and one document's error out of an unordered batch (group-commit.ts).
    if (typeof error.code === 'number' && TRANSIENT_SERVER_CODES.has(error.code)) return true;
    return BUSY_MESSAGE.test(error.message);
  }
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && TRANSIENT_SOCKET_CODES.has(code);
}

/** The recorded form of an error (name, message, code), for the queue and the dead letters. */
export function describeError(error: unknown, at: Date): FallbackErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: redactSecrets(error.message),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      at,
    };
  }
  return { name: 'Error', message: redactSecrets(String(error)), at };
}
