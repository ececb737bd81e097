/**
 * The key-prefixed view of a store (`keyPrefix` of a database): it passes the whole object-store
 * contract on the local folder and on S3, keeps every object it writes under its prefix, lists
 * nothing outside it, and refuses keys that would climb out of it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createObjectStore } from '../../runtime/storage/create-object-store.js';
import { withKeyPrefix } from '../../runtime/storage/key-prefixed-store.js';
import { listAllKeys } from '../../runtime/storage/list-all-keys.js';
import { createLocalObjectStore } from '../../runtime/storage/local/local-object-store.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { testServers } from '../support/servers.js';
import { uniqueBucketName } from './bucket-names.js';
import { describeObjectStoreContract } from './object-store.contract.js';

describeObjectStoreContract('local folder under a key prefix', { presign: 'file', keepsContentType: false, listOrder: 'utf8' }, async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'chronos-prefixed-contract-'));
  const store = createLocalObjectStore({ basePath: path.join(root, 'base') });
  const bucket = uniqueBucketName('prefixed');
  await store.ensureBucket(bucket);
  return {
    store: withKeyPrefix(store, 'tenant_a'),
    bucket,
    teardown: async () => {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

describeObjectStoreContract('S3 under a key prefix', { presign: 'http', keepsContentType: true, listOrder: 'utf8' }, async () => {
  const { s3 } = testServers();
  const store = createObjectStore({ endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKey, secretKey: s3.secretKey });
  const bucket = uniqueBucketName('prefixed');
  await store.ensureBucket(bucket);
  return {
    store: withKeyPrefix(store, 'Tenant-B'),
    bucket,
    teardown: async () => {
      const left: string[] = [];
      for await (const key of listAllKeys(store, bucket)) left.push(key);
      if (left.length > 0) await store.deleteMany(bucket, left);
      await store.close();
    },
  };
});

describe('the key-prefixed view', () => {
  let root: string;
  let store: ObjectStore;
  const bucket = 'shared';
  const all = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const key of listAllKeys(store, bucket)) keys.push(key);
    return keys.sort();
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'chronos-prefixed-'));
    store = createLocalObjectStore({ basePath: root });
    await store.ensureBucket(bucket);
  });
  afterAll(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('writes under the prefix and sees only its own keys, across pages', async () => {
    const a = withKeyPrefix(store, 'a');
    const ab = withKeyPrefix(store, 'ab');
    await store.put(bucket, 'orders/x/v0/item.json', 'unprefixed');
    for (const id of ['1', '2', '3']) await a.put(bucket, `orders/${id}/v0/item.json`, `a${id}`);
    await ab.put(bucket, 'orders/1/v0/item.json', 'ab1');

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await a.list(bucket, { prefix: 'orders/', maxKeys: 1, ...(token !== undefined && { continuationToken: token }) });
      pages.push(page.keys);
      token = page.nextToken;
    } while (token !== undefined);
    expect(pages.flat()).toEqual(['orders/1/v0/item.json', 'orders/2/v0/item.json', 'orders/3/v0/item.json']);
    expect(Buffer.from(await ab.get(bucket, 'orders/1/v0/item.json')).toString()).toBe('ab1');
    expect(await all()).toEqual(['a/orders/1/v0/item.json', 'a/orders/2/v0/item.json', 'a/orders/3/v0/item.json', 'ab/orders/1/v0/item.json', 'orders/x/v0/item.json']);

    await a.deleteMany(bucket, (await a.list(bucket)).keys);
    expect(await all()).toEqual(['ab/orders/1/v0/item.json', 'orders/x/v0/item.json']);
  });

  it('refuses keys that climb out of the prefix, and prefixes that are not one segment', async () => {
    const a = withKeyPrefix(store, 'a');
    const before = await all();
    for (const key of ['../ab/orders/1/v0/item.json', 'orders/../../ab/x', '/orders/x']) {
      await expect(a.put(bucket, key, 'x'), key).rejects.toBeInstanceOf(ValidationError);
      await expect(a.get(bucket, key), key).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(a.list(bucket, { prefix: '../' })).rejects.toBeInstanceOf(ValidationError);
    expect(await all()).toEqual(before);
    for (const prefix of ['', 'a/b', '..', 'a.b']) expect(() => withKeyPrefix(store, prefix), prefix).toThrow(ValidationError);
    expect(withKeyPrefix(store, undefined)).toBe(store);
  });
});
