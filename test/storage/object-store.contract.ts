/**
 * The behaviour every {@link ObjectStore} backend promises, written once. Each backend's test
 * file calls {@link describeObjectStoreContract} with a factory that connects to a real server
 * (or folder) and a fresh bucket; a new backend is one folder plus one such call.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, StorageError, ValidationError, isChronosError } from '../../runtime/errors.js';
import { forEachConcurrently } from '../../runtime/storage/bounded-concurrency.js';
import { listAllKeys } from '../../runtime/storage/list-all-keys.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { uniqueBucketName } from './bucket-names.js';

/** What a backend documents about itself, known before the suite connects. */
export interface BackendTraits {
  /** `http`: presigned URLs are fetched and expire; `file`: a non-expiring `file://` URL. */
  readonly presign: 'http' | 'file';
  /** Whether `head` reports the content type given to `put`. */
  readonly keepsContentType: boolean;
}

/** What a backend's test file hands to the contract once connected. */
export interface ContractTarget {
  /** A connected store. */
  readonly store: ObjectStore;
  /** A bucket that exists (ensureBucket was called) and that this suite alone uses. */
  readonly bucket: string;
  /** Releases what the setup made (connections, temp folders). */
  readonly teardown: () => Promise<void>;
}

/** Keys created at once when a test needs many. */
const PUT_CONCURRENCY = 32;

let prefixCounter = 0;
/** A key prefix of its own for each test, so tests never see each other's objects. */
function testPrefix(label: string): string {
  prefixCounter += 1;
  return `${label}-${prefixCounter}`;
}

async function putAll(store: ObjectStore, bucket: string, keys: readonly string[]): Promise<void> {
  await forEachConcurrently(keys, PUT_CONCURRENCY, (key) => store.put(bucket, key, key));
}

async function allKeys(store: ObjectStore, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of listAllKeys(store, bucket, prefix === undefined ? {} : { prefix })) keys.push(key);
  return keys;
}

/** UTF-8 byte order, the order every backend lists in. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function expectRejected<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** Fetches `url` until it stops answering 200, for at most `withinMs`; returns the last status. */
async function statusOnceExpired(url: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200 || Date.now() > deadline) return response.status;
    await delay(250);
  }
}

/** Defines the shared `describe` blocks for one backend. */
export function describeObjectStoreContract(
  backend: string,
  traits: BackendTraits,
  setup: () => Promise<ContractTarget>,
): void {
  describe(`ObjectStore contract: ${backend}`, () => {
    let target: ContractTarget;
    let store: ObjectStore;
    let bucket: string;

    beforeAll(async () => {
      target = await setup();
      store = target.store;
      bucket = target.bucket;
    });
    afterAll(async () => {
      await target?.teardown();
    });

    describe('round trips', () => {
      it('reads back a JSON document byte for byte', async () => {
        const key = `${testPrefix('json')}/item.json`;
        const json = JSON.stringify({ name: 'Ada', tags: ['a', 'b'], nested: { n: 1.5, ok: true, none: null } });
        await store.put(bucket, key, json, { contentType: 'application/json' });
        const bytes = await store.get(bucket, key);
        expect(Buffer.from(bytes).toString('utf8')).toBe(json);
        const info = await store.head(bucket, key);
        expect(info?.size).toBe(Buffer.byteLength(json));
        if (traits.keepsContentType) expect(info?.contentType).toBe('application/json');
      });

      it('reads back binary bytes including every byte value', async () => {
        const key = `${testPrefix('binary')}/blob.bin`;
        const body = new Uint8Array(4096).map((_, i) => i % 256);
        await store.put(bucket, key, body);
        expect(Buffer.from(await store.get(bucket, key)).equals(Buffer.from(body))).toBe(true);
        expect((await store.head(bucket, key))?.size).toBe(4096);
      });

      it('replaces the object when the same key is written again', async () => {
        const key = `${testPrefix('overwrite')}/item.json`;
        await store.put(bucket, key, 'first version, longer than the second');
        await store.put(bucket, key, 'second');
        expect(Buffer.from(await store.get(bucket, key)).toString()).toBe('second');
        expect((await store.head(bucket, key))?.size).toBe(6);
      });

      it('stores an empty body as an empty object', async () => {
        const key = `${testPrefix('empty')}/empty.bin`;
        await store.put(bucket, key, new Uint8Array(0));
        expect((await store.get(bucket, key)).byteLength).toBe(0);
        expect((await store.head(bucket, key))?.size).toBe(0);
      });
    });

    describe('missing keys', () => {
      it('throws a NotFoundError naming the key when getting a missing key', async () => {
        const key = `${testPrefix('missing')}/nothing.json`;
        const error = await expectRejected(store.get(bucket, key), NotFoundError);
        expect(isChronosError(error) && error.code).toBe('NOT_FOUND');
        expect(error.message).toContain(key);
      });

      it('returns null from head for a missing key', async () => {
        expect(await store.head(bucket, `${testPrefix('missing')}/nothing.json`)).toBeNull();
      });

      it('treats deleting a missing key as a no-op', async () => {
        await expect(store.delete(bucket, `${testPrefix('missing')}/nothing.json`)).resolves.toBeUndefined();
      });

      it('makes a deleted key missing again', async () => {
        const key = `${testPrefix('deleted')}/item.json`;
        await store.put(bucket, key, 'x');
        await store.delete(bucket, key);
        expect(await store.head(bucket, key)).toBeNull();
        await expectRejected(store.get(bucket, key), NotFoundError);
      });
    });

    describe('missing buckets', () => {
      it('refuses to write into a bucket that was never created, with a StorageError', async () => {
        const absent = uniqueBucketName('absent');
        const error = await expectRejected(store.put(absent, 'a.txt', 'x'), StorageError);
        expect(error.transient).toBe(false);
      });
    });

    describe('listing', () => {
      it('lists more than 1,000 keys under a prefix across pages, each exactly once and sorted', async () => {
        const prefix = testPrefix('many');
        // Mixed shapes so folder-vs-name ordering is exercised ('-' and '.' sort before '/').
        const expected = Array.from({ length: 1050 }, (_, i) => {
          if (i % 3 === 0) return `${prefix}/k${i}/leaf`;
          if (i % 3 === 1) return `${prefix}/k${i}-x`;
          return `${prefix}/k${i}.json`;
        });
        const outside = [`${prefix}x/k1`, `${prefix}-other/k1`, `other-${prefix}/k1`];
        await putAll(store, bucket, [...expected, ...outside]);

        const seen: string[] = [];
        let pages = 0;
        let continuationToken: string | undefined;
        do {
          const page = await store.list(bucket, { prefix: `${prefix}/`, ...(continuationToken ? { continuationToken } : {}) });
          expect(page.keys.length).toBeLessThanOrEqual(1000);
          seen.push(...page.keys);
          pages += 1;
          continuationToken = page.nextToken;
        } while (continuationToken !== undefined && pages < 10);

        expect(pages).toBeGreaterThanOrEqual(2);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual([...expected].sort(byteOrder));
        await store.deleteMany(bucket, [...expected, ...outside]);
      });

      it('pages by maxKeys and gives no token on the last page', async () => {
        const prefix = testPrefix('pages');
        const keys = Array.from({ length: 25 }, (_, i) => `${prefix}/item-${String(i).padStart(2, '0')}`);
        await putAll(store, bucket, keys);
        const sizes: number[] = [];
        const seen: string[] = [];
        let token: string | undefined;
        do {
          const page = await store.list(bucket, { prefix: `${prefix}/`, maxKeys: 7, ...(token ? { continuationToken: token } : {}) });
          sizes.push(page.keys.length);
          seen.push(...page.keys);
          token = page.nextToken;
        } while (token !== undefined && sizes.length < 10);
        expect(seen).toEqual(keys);
        expect(sizes.slice(0, 3)).toEqual([7, 7, 7]);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);
      });

      it('matches a prefix that ends inside a path segment', async () => {
        const prefix = testPrefix('partial');
        await putAll(store, bucket, [`${prefix}/ab/1`, `${prefix}/ab-2`, `${prefix}/abc.json`, `${prefix}/b/1`]);
        expect(await allKeys(store, bucket, `${prefix}/ab`)).toEqual([`${prefix}/ab-2`, `${prefix}/ab/1`, `${prefix}/abc.json`]);
      });

      it('returns no keys and no token for a prefix nothing starts with', async () => {
        const page = await store.list(bucket, { prefix: `${testPrefix('none')}/` });
        expect(page).toEqual({ keys: [] });
      });
    });

    describe('batch delete', () => {
      it('removes the given keys, ignores missing ones and leaves the rest', async () => {
        const prefix = testPrefix('batch');
        const keys = Array.from({ length: 10 }, (_, i) => `${prefix}/k${i}`);
        await putAll(store, bucket, keys);
        await store.deleteMany(bucket, [...keys.slice(0, 5), `${prefix}/missing-1`, `${prefix}/missing-2`]);
        expect(await allKeys(store, bucket, `${prefix}/`)).toEqual(keys.slice(5));
        expect(await store.head(bucket, keys[0] as string)).toBeNull();
      });

      it('removes more than 1,000 keys in one call', async () => {
        const prefix = testPrefix('batch-large');
        const keys = Array.from({ length: 1010 }, (_, i) => `${prefix}/k${i}`);
        await putAll(store, bucket, keys);
        await store.deleteMany(bucket, keys);
        expect(await allKeys(store, bucket, `${prefix}/`)).toEqual([]);
      });

      it('accepts an empty batch', async () => {
        await expect(store.deleteMany(bucket, [])).resolves.toBeUndefined();
      });
    });

    describe('presigned GET URLs', () => {
      it('returns a URL whose plain GET yields the bytes', async () => {
        const key = `${testPrefix('presign')}/blob.bin`;
        const body = randomBytes(2048);
        await store.put(bucket, key, body);
        const url = await store.presignGet(bucket, key, 60);
        if (traits.presign === 'http') {
          const response = await fetch(url);
          expect(response.status).toBe(200);
          expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
        } else {
          expect(new URL(url).protocol).toBe('file:');
          expect((await readFile(fileURLToPath(url))).equals(body)).toBe(true);
        }
      });

      // The local backend documents non-expiring file URLs instead; its own suite tests that.
      if (traits.presign === 'http') it('stops answering with the bytes once the TTL has passed', async () => {
        const key = `${testPrefix('expiry')}/blob.bin`;
        await store.put(bucket, key, 'short-lived');
        const url = await store.presignGet(bucket, key, 3);
        const first = await fetch(url);
        expect(first.status).toBe(200);
        expect(await first.text()).toBe('short-lived');
        expect(await statusOnceExpired(url, 20_000)).toBe(403);
      });

      it('refuses a TTL that is not a whole number of seconds from 1 to 7 days', async () => {
        const key = `${testPrefix('ttl')}/x`;
        for (const ttl of [0, -1, 1.5, 8 * 24 * 3600, Number.NaN]) {
          const error = await expectRejected(store.presignGet(bucket, key, ttl), ValidationError);
          expect(error.issues[0]?.path).toEqual(['ttlSeconds']);
        }
      });
    });

    describe('key names', () => {
      const names = [
        'with space/file name.txt',
        'naïve/café ☕.json',
        '日本語/ファイル.bin',
        'emoji/🚀 launch.txt',
        "special/a+b=c&d?e#f%20g;h,i:j@k!l$m'n(o).txt",
      ];

      it('round-trips keys with spaces, unicode and URL-special characters and lists them verbatim', async () => {
        const prefix = testPrefix('names');
        const keys = names.map((name) => `${prefix}/${name}`);
        for (const key of keys) await store.put(bucket, key, `body of ${key}`);
        for (const key of keys) expect(Buffer.from(await store.get(bucket, key)).toString()).toBe(`body of ${key}`);
        expect(await allKeys(store, bucket, `${prefix}/`)).toEqual([...keys].sort(byteOrder));
      });

      if (traits.presign === 'http') it('presigns such keys into URLs that fetch the right bytes', async () => {
        const prefix = testPrefix('names-url');
        for (const name of names) {
          const key = `${prefix}/${name}`;
          await store.put(bucket, key, `body of ${key}`);
          const response = await fetch(await store.presignGet(bucket, key, 60));
          expect(response.status).toBe(200);
          expect(await response.text()).toBe(`body of ${key}`);
        }
      });
    });

    describe('invalid keys', () => {
      const badKeys = [
        '',
        '/absolute/key',
        '../escape',
        'a/../../escape',
        'a/./b',
        'a//b',
        'trailing/',
        'back\\slash',
        '..\\..\\escape',
        'nul\u0000byte',
        'x'.repeat(1025),
      ];

      it('refuses every operation on a key that could escape or is malformed, naming the key, and writes nothing', async () => {
        const before = await allKeys(store, bucket);
        for (const key of badKeys) {
          const attempts: Array<Promise<unknown>> = [
            store.put(bucket, key, 'x'),
            store.get(bucket, key),
            store.head(bucket, key),
            store.delete(bucket, key),
            store.deleteMany(bucket, ['fine-key', key]),
            store.presignGet(bucket, key, 60),
          ];
          for (const attempt of attempts) {
            const error = await expectRejected(attempt, ValidationError);
            expect(error.issues[0]?.path).toEqual(['key']);
            if (key !== '') expect(error.message).toContain(JSON.stringify(key).slice(1, 20));
          }
        }
        expect(await allKeys(store, bucket)).toEqual(before);
      });

      it('refuses a list prefix that climbs out of the bucket', async () => {
        for (const prefix of ['../', '/abs', 'a/../b', 'nul\u0000']) {
          const error = await expectRejected(store.list(bucket, { prefix }), ValidationError);
          expect(error.issues[0]?.path).toEqual(['prefix']);
        }
      });
    });

    describe('large payloads', () => {
      it('round-trips a 10 MB payload', async () => {
        const key = `${testPrefix('large')}/big.bin`;
        const body = randomBytes(10 * 1024 * 1024);
        await store.put(bucket, key, body);
        expect((await store.head(bucket, key))?.size).toBe(body.length);
        expect(Buffer.from(await store.get(bucket, key)).equals(body)).toBe(true);
      });
    });

    describe('concurrency', () => {
      it('makes all of 50 concurrent puts readable', async () => {
        const prefix = testPrefix('concurrent');
        const keys = Array.from({ length: 50 }, (_, i) => `${prefix}/k${i}.json`);
        await Promise.all(keys.map((key, i) => store.put(bucket, key, JSON.stringify({ i, pad: 'x'.repeat(i * 100) }))));
        const bodies = await Promise.all(keys.map((key) => store.get(bucket, key)));
        bodies.forEach((bytes, i) => expect(JSON.parse(Buffer.from(bytes).toString()).i).toBe(i));
        expect((await allKeys(store, bucket, `${prefix}/`)).length).toBe(50);
      });

      it('leaves exactly one complete body when 20 writers race on one key', async () => {
        const key = `${testPrefix('race')}/item.bin`;
        const bodies = Array.from({ length: 20 }, (_, i) => Buffer.alloc(64 * 1024 + i, i));
        await Promise.all(bodies.map((body) => store.put(bucket, key, body)));
        const stored = Buffer.from(await store.get(bucket, key));
        expect(bodies.some((body) => body.equals(stored))).toBe(true);
      });
    });
  });
}
