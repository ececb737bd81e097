/**
 * The rules every object key and list prefix follows, on every backend. One rule set for all
 * backends means a key that works on the local folder also works on S3 and Azure, and the local
 * backend can map keys to file paths without any key reaching outside its bucket folder.
 *
 * A key is a `/`-separated path of non-empty segments, at most 1,024 UTF-8 bytes (the S3 and
 * Azure limit), with no `.` or `..` segment, no leading `/`, no backslash and no control
 * character (NUL included; S3 listings cannot carry control characters in plain XML).
 */
import { ValidationError } from '../errors.js';

/** The longest key S3 and Azure both accept, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function refuse(field: string, value: string, problem: string): never {
  throw new ValidationError(
    [{ path: [field], message: `${JSON.stringify(value)} ${problem}` }],
    `Invalid object ${field}`,
  );
}

function checkCharacters(field: string, value: string): void {
  if (CONTROL_CHARACTER.test(value)) {
    refuse(field, value, 'contains a control character (NUL included); use printable characters only');
  }
  if (value.includes('\\')) {
    refuse(field, value, 'contains a backslash; separate path segments with "/"');
  }
  if (value.startsWith('/')) {
    refuse(field, value, 'is an absolute path; keys are relative to the bucket, drop the leading "/"');
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) {
    refuse(field, value, `is longer than ${MAX_KEY_BYTES} UTF-8 bytes; shorten it`);
  }
}

function checkSegment(field: string, value: string, segment: string): void {
  if (segment === '') {
    refuse(field, value, 'has an empty path segment ("//" or a trailing "/"); remove it');
  }
  if (segment === '.' || segment === '..') {
    refuse(field, value, `has a "${segment}" segment; keys cannot point outside their bucket`);
  }
}

/**
 * Throws a {@link ValidationError} naming the key unless `key` follows the key rules above.
 * Called by every store method before anything is sent or written.
 */
export function assertObjectKey(key: unknown, field = 'key'): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw new ValidationError([{ path: [field], message: 'must be a non-empty string' }], `Invalid object ${field}`);
  }
  checkCharacters(field, key);
  for (const segment of key.split('/')) checkSegment(field, key, segment);
}

/**
 * Throws a {@link ValidationError} unless `prefix` could start a valid key: the same rules as
 * {@link assertObjectKey}, except that it may be empty and its last segment may be partial or
 * empty (`'orders/'`, `'orders/12'`).
 */
export function assertKeyPrefix(prefix: unknown, field = 'prefix'): asserts prefix is string {
  if (typeof prefix !== 'string') {
    throw new ValidationError([{ path: [field], message: 'must be a string' }], `Invalid object ${field}`);
  }
  if (prefix === '') return;
  checkCharacters(field, prefix);
  const segments = prefix.split('/');
  segments.pop();
  for (const segment of segments) checkSegment(field, prefix, segment);
}
