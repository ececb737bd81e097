/**
 * Small helpers of the storage suites: unique key prefixes, bulk writes with bounded
 * concurrency, full listings, key orders, and a bounded poll for presigned-URL expiry.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { forEachConcurrently } from '../../runtime/storage/bounded-concurrency.js';
import { listAllKeys } from '../../runtime/storage/list-all-keys.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';

/** Keys created at once when a test needs many. */
const PUT_CONCURRENCY = 32;

let prefixCounter = 0;
/** A key prefix of its own for each test, so tests never see each other's objects. */
export function testPrefix(label: string): string {
  prefixCounter += 1;
  return `${label}-${prefixCounter}`;
}

/** Writes every key (its own name as the body), {@link PUT_CONCURRENCY} at a time. */
export async function putAll(store: ObjectStore, bucket: string, keys: readonly string[]): Promise<void> {
  await forEachConcurrently(keys, PUT_CONCURRENCY, (key) => store.put(bucket, key, key));
}

/** Every key under `prefix`, through all pages. */
export async function allKeys(store: ObjectStore, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of listAllKeys(store, bucket, prefix === undefined ? {} : { prefix })) keys.push(key);
  return keys;
}

/** UTF-8 byte order, the order S3 lists in. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** UTF-16 code-unit order, JavaScript's default string order. */
export function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Awaits a promise that must reject with `type`, and returns the error for further checks. */
export async function expectRejected<E extends Error>(
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
export async function statusOnceExpired(url: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200 || Date.now() > deadline) return response.status;
    await delay(100);
  }
}
