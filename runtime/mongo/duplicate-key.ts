/**
 * Recognises the server's duplicate-key error. Chronos builds its claims (a version number, a
 * message id, an identity id) on unique-index inserts, so this error is an expected outcome —
 * "someone else got there first" — not a failure.
 */
import { MongoServerError } from 'mongodb';

/** True when `error` is a duplicate-key error (code 11000) from a unique index, `_id` included. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoServerError) return error.code === 11000;
  // A second copy of the driver makes instanceof fail; the code is what matters.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
