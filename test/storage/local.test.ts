import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError, ValidationError } from '../../runtime/errors.js';
import { createLocalObjectStore } from '../../runtime/storage/local/local-object-store.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { uniqueBucketName } from './bucket-names.js';
import { describeObjectStoreContract } from './object-store.contract.js';

describeObjectStoreContract('local folder', { presign: 'file', keepsContentType: false }, async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'chronos-local-contract-'));
  const store = createLocalObjectStore({ basePath: path.join(root, 'base') });
  const bucket = uniqueBucketName('contract');
  await store.ensureBucket(bucket);
  return {
    store,
    bucket,
    teardown: async () => {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

/** Every file and folder under `dir`, as paths relative to it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

describe('local folder store', () => {
  let root: string;
  let base: string;
  let store: ObjectStore;
  let bucket: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'chronos-local-'));
    base = path.join(root, 'base');
    store = createLocalObjectStore({ basePath: base });
    bucket = uniqueBucketName('local');
    await store.ensureBucket(bucket);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('confinement to the base path', () => {
    it('writes nothing outside the base path for keys that try to escape it', async () => {
      const escapes = ['../outside', '../../outside', `../../../${path.basename(root)}/outside`, '/tmp/outside', 'a/../../outside', '..\\outside', 'nul\u0000/x'];
      for (const key of escapes) {
        await expect(store.put(bucket, key, 'x')).rejects.toBeInstanceOf(ValidationError);
      }
      expect(await tree(root)).toEqual(['base', `base/${bucket}`]);
    });

    it('refuses bucket names that are not one safe folder name', async () => {
      for (const name of ['..', '../x', 'a/b', '.chronos-tmp', 'UPPER', '', 'a\u0000b']) {
        const error = await store.ensureBucket(name).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path).toEqual(['bucket']);
      }
      expect(await readdir(base)).toEqual([bucket]);
    });

    it('refuses an empty base path', () => {
      expect(() => createLocalObjectStore({ basePath: '' })).toThrow(ValidationError);
    });
  });

  describe('atomic writes', () => {
    it('leaves no temp file behind after writes, and none inside the bucket', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(bucket, `atomic/k${i}`, `v${i}`)));
      expect(await readdir(path.join(base, '.chronos-tmp'))).toEqual([]);
      expect((await tree(path.join(base, bucket, 'atomic'))).length).toBe(20);
    });

    it('ignores stray files of a crashed write when reading and listing', async () => {
      await writeFile(path.join(base, '.chronos-tmp', 'crashed.partial'), 'half');
      await store.put(bucket, 'crash/item.json', '{"whole":true}');
      expect((await store.list(bucket, { prefix: 'crash/' })).keys).toEqual(['crash/item.json']);
      expect(Buffer.from(await store.get(bucket, 'crash/item.json')).toString()).toBe('{"whole":true}');
    });
  });

  describe('file-system limits', () => {
    it('refuses, with a non-transient StorageError, a key that is also a folder of other keys', async () => {
      await store.put(bucket, 'shape/a/b', 'leaf');
      const error = await store.put(bucket, 'shape/a', 'file').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).transient).toBe(false);
      expect(Buffer.from(await store.get(bucket, 'shape/a/b')).toString()).toBe('leaf');
    });

    it('removes folders emptied by a delete so the path can become a key', async () => {
      await store.put(bucket, 'prune/a/b/c', 'leaf');
      await store.delete(bucket, 'prune/a/b/c');
      expect(await readdir(path.join(base, bucket, 'prune')).catch(() => [])).toEqual([]);
      await store.put(bucket, 'prune/a', 'now a file');
      expect(Buffer.from(await store.get(bucket, 'prune/a')).toString()).toBe('now a file');
    });
  });

  describe('presigned URLs', () => {
    it('are non-expiring file URLs of the object inside the base path', async () => {
      await store.put(bucket, 'presign/item with space.txt', 'local bytes');
      const url = await store.presignGet(bucket, 'presign/item with space.txt', 1);
      const parsed = new URL(url);
      expect(parsed.protocol).toBe('file:');
      expect(parsed.search).toBe('');
      expect(fileURLToPath(url)).toBe(path.join(base, bucket, 'presign', 'item with space.txt'));
    });
  });
});
