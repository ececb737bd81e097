/**
 * The storage half of the raw floor: the bare SDK (or `node:fs`) calls a hand-written versioned
 * store would make, with no Chronos code in between.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BenchServers } from './bench-config.js';

/** Put and get of whole objects by key in one bucket (or folder). */
export interface RawBlobs {
  readonly kind: 's3' | 'local';
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<Uint8Array>;
}

/**
 * An S3 client configured as the engine's S3 store configures its own (path style, checksums
 * only where required), so the floor pays the same SDK and signing costs.
 */
export function rawS3Client(s3: BenchServers['s3']): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** PutObject / GetObject on one bucket. */
export function rawS3Blobs(client: S3Client, bucket: string): RawBlobs {
  return {
    kind: 's3',
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    },
    async get(key) {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return res.Body ? res.Body.transformToByteArray() : new Uint8Array(0);
    },
  };
}

/**
 * Files under a folder. Writes go to a temporary name and are renamed into place, the least a
 * store must do so a reader never sees half an object (the engine's local store does the same).
 */
export function rawLocalBlobs(folder: string): RawBlobs {
  let seq = 0;
  return {
    kind: 'local',
    async put(key, body) {
      const path = join(folder, key);
      await mkdir(dirname(path), { recursive: true });
      seq += 1;
      const tmp = `${path}.tmp-${process.pid}-${seq}`;
      await writeFile(tmp, body);
      await rename(tmp, path);
    },
    async get(key) {
      return readFile(join(folder, key));
    },
  };
}
