/**
 * Recognises the server's duplicate-key error. Chronos builds its claims (a version number, a
 * message id, an identity id) on unique-index inserts, so this error is an expected outcome —
 * "someone else got there first" — not a failure. The one check of code 11000; an unordered
 * batch's per-document duplicates are read by `bulk-write-errors.ts` with it.
 */
import { MongoServerError } from 'mongodb';
import { isChronosError } from '../errors.js';

/**
 * True when `error` is a duplicate-key error (code 11000) from a unique index, `_id` included,
 * or a Chronos error carrying one as its `cause` (what `engine.retry` throws for it).
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (isChronosError(error)) return hasDuplicateKeyCode(error.cause);
  return hasDuplicateKeyCode(error);
}

function hasDuplicateKeyCode(error: unknown): boolean {
  if (error instanceof MongoServerError) return error.code === 11000;
  // A second copy of the driver makes instanceof fail; the code is what matters.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
