/**
 * The error mapper of the local-folder backend: file-system errors become Chronos errors, as
 * `s3/s3-errors.ts` and `azure/azure-errors.ts` do for their SDKs.
 */
import { StorageError } from '../../errors.js';

/** File-system error codes that may clear up on a retry. */
const TRANSIENT_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR']);

/** The errno code of a file-system error (`ENOENT`, `EEXIST`, …), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The StorageError of a failed file-system call on `key` (or the bucket), transient for the codes a retry may clear. */
export function storageError(action: string, bucket: string, key: string | undefined, error: unknown): StorageError {
  const code = errnoCode(error);
  const where = key === undefined ? `bucket "${bucket}"` : `"${key}" in bucket "${bucket}"`;
  return new StorageError(`local storage: ${action} ${where} failed (${code ?? String(error)})`, {
    cause: error,
    transient: code !== undefined && TRANSIENT_CODES.has(code),
  });
}

/** The error for a bucket folder that does not exist, worded as every adapter words it. */
export function missingBucket(bucket: string): StorageError {
  return new StorageError(`local storage: bucket "${bucket}" does not exist; create it with ensureBucket`);
}

/** The error for a key that would be both an object and a folder of other objects (not transient). */
export function pathConflict(bucket: string, key: string, error: unknown): StorageError {
  return new StorageError(
    `local storage: cannot write "${key}" in bucket "${bucket}": a folder and a file would share a path ` +
      '(a key cannot be both an object and a prefix of other objects on the local backend)',
    { cause: error },
  );
}
