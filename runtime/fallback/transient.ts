/**
 * Which failures the fallback queue takes over: those a later retry may fix (a storage outage,
 * a dropped connection, a timeout, a primary stepping down). Everything else (bad input,
 * conflicts, missing records, programming errors) reaches the caller as it is.
 */
import {
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { isChronosError } from '../errors.js';
import type { FallbackErrorInfo } from './types.js';

/** Server error codes that mean "not now" (shutdown, step-down, network, time limits). */
const TRANSIENT_SERVER_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Socket errors Node raises when a peer is away or drops the connection. */
const TRANSIENT_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * True when `error` is worth retrying later: a `StorageError` marked `transient`; a MongoDB
 * network, server-selection, timeout or closed-topology error (a server that was away at the
 * first operation: the pool's client connects again on the next call); a server error the
 * driver labels retryable; or a raw socket error such as `ECONNRESET`.
 */
export function isTransientError(error: unknown): boolean {
  if (isChronosError(error)) return error.code === 'STORAGE_FAILED' && (error as { transient?: unknown }).transient === true;
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
    if (error instanceof MongoServerError && typeof error.code === 'number') return TRANSIENT_SERVER_CODES.has(error.code);
    return false;
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
      message: error.message,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      at,
    };
  }
  return { name: 'Error', message: String(error), at };
}
