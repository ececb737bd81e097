/**
 * Maps buckets and keys to file paths under the base folder, refusing anything that could land
 * outside it. Validation comes first ({@link assertObjectKey}, {@link assertS3BucketName});
 * the final "still inside?" check is defence in depth should those rules ever loosen.
 */
import path from 'node:path';
import { ValidationError } from '../../errors.js';
import { assertS3BucketName } from '../bucket-name.js';
import { assertObjectKey } from '../object-key.js';

/** Name of the folder under the base path that holds writes in progress; never a valid bucket name. */
const TEMP_FOLDER = '.chronos-tmp';

/** Resolved locations of one local store. */
export interface LocalPaths {
  /** The absolute base folder. */
  readonly base: string;
  /** Where writes in progress live before they are renamed into place. */
  readonly temp: string;
  /** The folder of a bucket; throws a ValidationError for a bad bucket name. */
  bucketDir(bucket: string): string;
  /** The file of an object; throws a ValidationError for a bad bucket or key. */
  objectFile(bucket: string, key: string): string;
}

function inside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Builds the path mapping for a store rooted at `basePath` (made absolute). */
export function localPaths(basePath: string): LocalPaths {
  if (typeof basePath !== 'string' || basePath === '' || basePath.includes('\u0000')) {
    throw ValidationError.at(['basePath'], 'must be a non-empty folder path without NUL characters');
  }
  const base = path.resolve(basePath);
  const bucketDir = (bucket: string): string => {
    assertS3BucketName(bucket);
    const dir = path.join(base, bucket);
    if (!inside(base, dir)) throw ValidationError.at(['bucket'], `${JSON.stringify(bucket)} resolves outside the base path`);
    return dir;
  };
  return {
    base,
    temp: path.join(base, TEMP_FOLDER),
    bucketDir,
    objectFile(bucket, key) {
      const dir = bucketDir(bucket);
      assertObjectKey(key);
      const file = path.join(dir, ...key.split('/'));
      if (!inside(dir, file)) throw ValidationError.at(['key'], `${JSON.stringify(key)} resolves outside its bucket`);
      return file;
    },
  };
}
