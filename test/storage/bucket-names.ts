/**
 * Fresh bucket names for storage suites. {@link uniqueName} joins with `_`, which neither S3
 * nor Azure accepts in a bucket name, so this variant uses `-` and stays within 3-63 characters.
 */
import { uniqueName } from '../support/servers.js';

/** A bucket name no other suite or run uses, valid on S3, Azure and the local backend. */
export function uniqueBucketName(prefix: string): string {
  const name = uniqueName(prefix).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return name.slice(0, 63).replace(/-+$/, '');
}
