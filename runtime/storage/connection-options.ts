/**
 * Checks of the connection fields the network backends share, so a typo in an endpoint is a
 * {@link ValidationError} naming the field when the store is created, not a DNS error later.
 */
import { ValidationError } from '../errors.js';

/** Parses `endpoint` as an `http:` or `https:` URL; throws a ValidationError naming `endpoint`. */
export function parseEndpoint(endpoint: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof endpoint === 'string' ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw ValidationError.at(['endpoint'], `${JSON.stringify(endpoint)} is not an http(s) URL; use e.g. "https://s3.us-east-1.amazonaws.com"`);
  }
  return url;
}

/** Throws a ValidationError naming `field` unless `value` is a non-empty string. */
export function requireText(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw ValidationError.at([field], 'must be a non-empty string');
  }
}
