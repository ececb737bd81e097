/**
 * The error mapper of object storage for what its adapters did not map: each adapter turns its
 * own SDK's errors into Chronos errors (`s3/s3-errors.ts`, `azure/azure-errors.ts`, the local
 * store's `storageError`); anything else an `ObjectStore` throws (a custom store, a request
 * aborted by its timeout) is taken as an outage, a transient {@link StorageError}.
 */
import { StorageError, isChronosError, type ChronosError } from '../errors.js';

/** True for a storage request that was aborted by its timeout. */
export function isStorageTimeout(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** The error a caller sees for a failure `e` of the storage step `what`; Chronos errors are kept as they are. */
export function toStorageError(e: unknown, what: string): ChronosError {
  if (isChronosError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (isStorageTimeout(e)) return new StorageError(`${what} timed out: ${message}`, { cause: e, transient: true });
  return new StorageError(`${what} failed: ${message}`, { cause: e, transient: true });
}
