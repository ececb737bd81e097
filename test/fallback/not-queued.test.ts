/**
 * What the fallback queue must NOT take over: bad input, lost compare-and-sets, missing records
 * and other non-transient failures reach the caller as the engine raised them, with nothing
 * queued; and with `fallback.enabled: false` nothing is queued at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { withFallback } from '../../runtime/fallback/with-fallback.js';
import { isTransientError } from '../../runtime/retry/transient.js';
import { ConflictError, NotFoundError, StorageError, ValidationError } from '../../runtime/errors.js';
import { DEFAULT_FALLBACK, openFallbackFixture } from './support/fallback-fixture.js';
import type { FallbackFixture } from './support/fallback-fixture.js';

let fx: FallbackFixture;
beforeAll(async () => {
  fx = await openFallbackFixture();
});
afterAll(async () => {
  await fx.teardown();
});

describe('writes that fail for a reason a retry cannot fix', () => {
  it('throw a ValidationError for bad input and queue nothing, even while storage is down', async () => {
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failPutsForever();
    try {
      await expect(orders.create({ status: 'new', _system: { ov: 9 } } as Record<string, unknown>)).rejects.toBeInstanceOf(ValidationError);
      await expect(orders.update('not-an-id', { status: 'x' })).rejects.toBeInstanceOf(ValidationError);
      await expect(orders.create({ status: 'new' }, undefined, undefined, { id: 'nope' })).rejects.toThrow(/options\.id/);
    } finally {
      fx.store.recover();
    }
    expect(await queue.pending()).toEqual([]);
  });

  it('throw a ConflictError for a stale expectedOv and a NotFoundError for a missing record, queueing nothing', async () => {
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    const { id } = await fx.ops.create({ status: 'new' });
    await fx.ops.update(id, { status: 'paid' }, 0);
    const stale = orders.update(id, { status: 'late' }, 0);
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ currentOv: 1 });
    await expect(orders.delete('0123456789abcdef01234567')).rejects.toBeInstanceOf(NotFoundError);
    await expect(orders.create({ status: 'twin' }, undefined, undefined, { id })).rejects.toMatchObject({ code: 'CONFLICT', currentOv: 1 });
    expect(await queue.pending()).toEqual([]);
    expect(await fx.ops.history(id)).toHaveLength(2);
  });

  it('throw transient failures as they are when the queue is disabled', async () => {
    const queue = fx.queue({ options: { ...DEFAULT_FALLBACK, enabled: false } });
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failPuts(1);
    await expect(orders.create({ status: 'new' })).rejects.toMatchObject({ code: 'STORAGE_FAILED', transient: true });
    expect(await queue.pending()).toEqual([]);
  });

  it('return applied writes with queued: false and the engine result', async () => {
    const orders = withFallback(fx.ops, fx.queue(), fx.route);
    const created = await orders.create({ status: 'new' });
    expect(created).toMatchObject({ queued: false, ov: 0 });
    const updated = await orders.update(created.id, { status: 'paid' }, 0);
    expect(updated).toMatchObject({ queued: false, id: created.id, ov: 1 });
  });
});

describe('which errors count as transient', () => {
  it('accepts transient storage errors and MongoDB network, selection and step-down errors', () => {
    expect(isTransientError(new StorageError('503 from S3', { transient: true }))).toBe(true);
    expect(isTransientError(new MongoNetworkError('connection reset'))).toBe(true);
    expect(isTransientError(new MongoServerSelectionError('no server', { type: 'Unknown', servers: new Map() } as never))).toBe(true);
    expect(isTransientError(new MongoServerError({ message: 'not primary', code: 10107 }))).toBe(true);
  });

  it('refuses validation, conflict, not-found, permanent storage, duplicate-key and plain errors', () => {
    expect(isTransientError(ValidationError.at(['data'], 'bad'))).toBe(false);
    expect(isTransientError(new ConflictError('stale', 1, 0))).toBe(false);
    expect(isTransientError(new NotFoundError('gone'))).toBe(false);
    expect(isTransientError(new StorageError('access denied'))).toBe(false);
    expect(isTransientError(new MongoServerError({ message: 'E11000', code: 11000 }))).toBe(false);
    expect(isTransientError(new Error('bug'))).toBe(false);
  });
});
