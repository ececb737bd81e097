/**
 * Turns `@azure/storage-blob` failures into Chronos errors: a missing blob is a
 * {@link NotFoundError}, anything a retry may cure (5xx, throttling, timeouts, dropped
 * connections) a transient {@link StorageError}, everything else a permanent one.
 */
import { NotFoundError, StorageError, type ChronosError } from '../../errors.js';

/** What a RestError (or a network failure under it) carries. */
interface AzureFailure {
  readonly name?: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly message?: string;
  readonly details?: { readonly errorCode?: string };
}

const TRANSIENT_CODES = new Set([
  'REQUEST_SEND_ERROR',
  'ServerBusy',
  'InternalError',
  'OperationTimedOut',
  'ContainerBeingDeleted',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/** The Azure error code (`BlobNotFound`, `ContainerNotFound`, …) of a failed call. */
function azureCodeOf(error: unknown): string | undefined {
  const failure = (error ?? {}) as AzureFailure;
  return failure.details?.errorCode ?? failure.code;
}

/** The HTTP status of a failed call, if the service answered. */
export function azureStatusOf(error: unknown): number | undefined {
  return ((error ?? {}) as AzureFailure).statusCode;
}

/** Whether a retry of the failed call may succeed. */
export function isTransientAzureFailure(error: unknown): boolean {
  const failure = (error ?? {}) as AzureFailure;
  const status = failure.statusCode;
  if (status !== undefined && (status >= 500 || status === 408 || status === 429)) return true;
  if (failure.name === 'AbortError' || failure.name === 'TimeoutError') return true;
  const code = azureCodeOf(error);
  return (code !== undefined && TRANSIENT_CODES.has(code)) || (failure.code !== undefined && TRANSIENT_CODES.has(failure.code));
}

/** The Chronos error for a failed call on `key` (or on the container when `key` is undefined). */
export function toChronosError(action: string, bucket: string, key: string | undefined, error: unknown): ChronosError {
  const code = azureCodeOf(error);
  const where = key === undefined ? `container "${bucket}"` : `"${key}" in container "${bucket}"`;
  if (code === 'BlobNotFound' && key !== undefined) {
    return new NotFoundError(`Azure Blob: no object "${key}" in container "${bucket}"`, { cause: error });
  }
  if (code === 'ContainerNotFound') {
    return new StorageError(`Azure Blob: container "${bucket}" does not exist; create it with ensureBucket`, { cause: error });
  }
  const status = azureStatusOf(error);
  const detail = [code, status === undefined ? undefined : `HTTP ${status}`, ((error ?? {}) as AzureFailure).message?.split('\n')[0]]
    .filter((part) => part !== undefined && part !== '')
    .join(', ');
  return new StorageError(`Azure Blob: ${action} ${where} failed (${detail})`, {
    cause: error,
    transient: isTransientAzureFailure(error),
  });
}
