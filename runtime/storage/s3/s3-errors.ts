/**
 * Turns AWS SDK failures into Chronos errors: a missing key is a {@link NotFoundError}, anything
 * a retry may cure (5xx, throttling, timeouts, dropped connections) a transient
 * {@link StorageError}, everything else a permanent one.
 */
import { NotFoundError, StorageError, type ChronosError } from '../../errors.js';

/** What the SDK attaches to a failed call; every field is optional on network errors. */
interface SdkFailure {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalError',
  'AbortError',
]);

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EPROTO',
]);

/** The HTTP status of a failed SDK call, if the server answered at all. */
export function statusOf(error: unknown): number | undefined {
  return (error as SdkFailure | undefined)?.$metadata?.httpStatusCode;
}

/** The S3 error name (`NoSuchKey`, `NoSuchBucket`, …) of a failed SDK call. */
export function nameOf(error: unknown): string | undefined {
  return (error as SdkFailure | undefined)?.name;
}

/** Whether a retry of the failed call may succeed. */
export function isTransientS3Failure(error: unknown): boolean {
  const failure = (error ?? {}) as SdkFailure;
  const status = failure.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 408 || status === 429)) return true;
  if (failure.name !== undefined && TRANSIENT_NAMES.has(failure.name)) return true;
  if (failure.code !== undefined && TRANSIENT_NETWORK_CODES.has(failure.code)) return true;
  // The SDK marks throttling and transient network errors it could not cure with its own retries.
  return status === undefined && failure.$retryable !== undefined;
}

/**
 * The Chronos error for a failed call on `key` (or on the bucket when `key` is undefined).
 * `NoSuchKey` becomes a NotFoundError; `NoSuchBucket` a permanent StorageError that says to
 * call `ensureBucket`.
 */
export function toChronosError(action: string, bucket: string, key: string | undefined, error: unknown): ChronosError {
  const name = nameOf(error);
  const where = key === undefined ? `bucket "${bucket}"` : `"${key}" in bucket "${bucket}"`;
  if (name === 'NoSuchKey' && key !== undefined) {
    return new NotFoundError(`S3: no object "${key}" in bucket "${bucket}"`, { cause: error });
  }
  if (name === 'NoSuchBucket') {
    return new StorageError(`S3: bucket "${bucket}" does not exist; create it with ensureBucket`, { cause: error });
  }
  const status = statusOf(error);
  const detail = [name, status === undefined ? undefined : `HTTP ${status}`, (error as SdkFailure | undefined)?.message]
    .filter((part) => part !== undefined && part !== '')
    .join(', ');
  return new StorageError(`S3: ${action} ${where} failed (${detail})`, {
    cause: error,
    transient: isTransientS3Failure(error),
  });
}
