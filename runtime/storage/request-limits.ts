/**
 * Checks of the numeric arguments every {@link ObjectStore} takes, so all backends refuse the
 * same bad input the same way before anything is sent.
 */
import { ValidationError } from '../errors.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- imported for the {@link} in the TSDoc below
import type { ObjectStore } from './object-store.js';

/** The longest presigned-URL lifetime S3 (SigV4) allows, and so the longest any backend gives. */
const MAX_PRESIGN_TTL_SECONDS = 7 * 24 * 60 * 60;

/** The page size `list` uses when none is asked for, and the most any backend returns at once. */
const MAX_LIST_PAGE = 1000;

/** Throws a {@link ValidationError} unless `ttl` is a whole number of seconds in 1..7 days. */
export function assertPresignTtl(ttl: unknown): asserts ttl is number {
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_PRESIGN_TTL_SECONDS) {
    throw ValidationError.at(
      ['ttlSeconds'],
      `must be a whole number of seconds from 1 to ${MAX_PRESIGN_TTL_SECONDS} (7 days); got ${String(ttl)}`,
    );
  }
}

/**
 * The page size to ask the backend for: `maxKeys` when given (capped at {@link MAX_LIST_PAGE},
 * which the {@link ObjectStore.list} contract allows), else {@link MAX_LIST_PAGE}.
 */
export function listPageSize(maxKeys: unknown): number {
  if (maxKeys === undefined) return MAX_LIST_PAGE;
  if (typeof maxKeys !== 'number' || !Number.isInteger(maxKeys) || maxKeys < 1) {
    throw ValidationError.at(['maxKeys'], `must be a positive whole number; got ${String(maxKeys)}`);
  }
  return Math.min(maxKeys, MAX_LIST_PAGE);
}

/** The bytes to store for a `put` body: strings are written as UTF-8. */
export function bodyBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
