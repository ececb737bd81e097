/**
 * Bucket-name rules per backend, checked before anything is sent so a bad name is a
 * {@link ValidationError} naming the bucket rather than a server error.
 */
import { ValidationError } from '../errors.js';

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_LIKE = /^\d+\.\d+\.\d+\.\d+$/;
const AZURE_CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

function refuse(bucket: unknown, rule: string): never {
  throw new ValidationError([{ path: ['bucket'], message: `${JSON.stringify(bucket)} ${rule}` }], 'Invalid bucket name');
}

/**
 * S3's rules (which the local backend also uses, so a bucket folder is always one safe path
 * segment): 3-63 characters of lowercase letters, digits, `.` and `-`, starting and ending with
 * a letter or digit, no `..`, not shaped like an IPv4 address.
 */
export function assertS3BucketName(bucket: unknown): asserts bucket is string {
  if (typeof bucket !== 'string' || !S3_BUCKET.test(bucket) || bucket.includes('..') || IPV4_LIKE.test(bucket)) {
    refuse(bucket, 'is not a valid bucket name: use 3-63 lowercase letters, digits, "." or "-", starting and ending with a letter or digit');
  }
}

/**
 * Azure's container rules: 3-63 characters of lowercase letters, digits and single `-`,
 * starting and ending with a letter or digit.
 */
export function assertAzureContainerName(bucket: unknown): asserts bucket is string {
  if (typeof bucket !== 'string' || !AZURE_CONTAINER.test(bucket)) {
    refuse(bucket, 'is not a valid Azure container name: use 3-63 lowercase letters, digits or single "-", starting and ending with a letter or digit');
  }
}

/**
 * The bucket of a database entry: its `bucket`, else (local storage only, where `bucket` is
 * optional) one derived from `dbName`: lowercased, every character other than `a-z 0-9 -`
 * turned into `-`. Different dbNames can derive one bucket (`lc_x` and `lc-x`, `Acme` and
 * `acme`); the config check refuses two databases whose objects would meet that way.
 */
export function bucketOfEntry(entry: { readonly bucket?: string | undefined; readonly dbName: string }): string {
  return entry.bucket ?? entry.dbName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
