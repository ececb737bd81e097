/**
 * The fallback queue end to end on FerretDB and the local-folder store: transient storage
 * failures queue the write, drains replay it once after its backoff, exhausted and hopeless ops
 * end in the dead letters with their last error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFallback } from '../../runtime/fallback/with-fallback.js';
import type { QueuedWriteResult } from '../../runtime/fallback/types.js';
import { DEFAULT_FALLBACK, openFallbackFixture } from './support/fallback-fixture.js';
import type { FallbackFixture } from './support/fallback-fixture.js';

let fx: FallbackFixture;
beforeAll(async () => {
  fx = await openFallbackFixture();
});
afterAll(async () => {
  await fx.teardown();
});

function expectQueued(res: { queued: boolean }): QueuedWriteResult {
  expect(res.queued).toBe(true);
  return res as QueuedWriteResult;
}

// With random pinned at 0.5 the first replay is due 0.75 × retryDelayMs (1000 ms) after the failure.
const FIRST_DELAY = 750;

describe('a write that fails transiently is queued and replayed once', () => {
  it('queues a create whose payload cannot be stored, and a later drain creates the record exactly once', async () => {
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failPuts(2);
    const queued = expectQueued(await orders.create({ status: 'new', total: 5 }, 'api', 'checkout'));
    expect(queued.id).toMatch(/^[0-9a-f]{24}$/);
    expect(queued.error.message).toMatch(/injected outage/);
    expect(await fx.ops.getLatest(queued.id)).toBeNull();

    expect((await queue.drain()).done).toEqual([]); // not due yet
    fx.clock.advance(FIRST_DELAY);
    const first = await queue.drain(); // the store fails once more
    expect(first.retrying).toMatchObject([{ opId: queued.opId, attempts: 1 }]);
    expect(await fx.ops.getLatest(queued.id)).toBeNull();

    fx.clock.advance(1500);
    const second = await queue.drain();
    expect(second.done).toEqual([{ opId: queued.opId, outcome: 'applied' }]);
    expect(await fx.ops.history(queued.id)).toHaveLength(1);
    expect(await fx.ops.getLatest(queued.id)).toMatchObject({ _id: queued.id, status: 'new', total: 5, _system: { ov: 0 } });
    expect(await queue.pending()).toEqual([]);
    expect((await queue.drain()).done).toEqual([]);
  });

  it('queues an update and replays it as one new version carrying the data', async () => {
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    const { id } = await fx.ops.create({ status: 'new' });
    fx.store.failPuts(1);
    const queued = expectQueued(await orders.update(id, { status: 'paid' }, 0));
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'new', _system: { ov: 0 } });
    fx.clock.advance(FIRST_DELAY);
    expect((await queue.drain()).done).toEqual([{ opId: queued.opId, outcome: 'applied' }]);
    expect(await fx.ops.history(id)).toHaveLength(2);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'paid', _system: { ov: 1 } });
  });

  it('replays a queued enrich and a queued delete in order, one version each', async () => {
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    const { id } = await fx.ops.create({ status: 'new', tags: ['a'] });
    fx.store.failPuts(2);
    const enrich = expectQueued(await orders.enrich(id, { tags: ['b'], note: 'gift' }, { functionId: 'fn1' }));
    fx.clock.advance(1);
    const del = expectQueued(await orders.delete(id));
    fx.clock.advance(FIRST_DELAY);
    const report = await queue.drain();
    expect(report.done).toEqual([
      { opId: enrich.opId, outcome: 'applied' },
      { opId: del.opId, outcome: 'applied' },
    ]);
    expect(await fx.ops.history(id)).toHaveLength(3);
    expect(await fx.ops.getLatest(id)).toBeNull();
    expect(await fx.ops.getLatest(id, { includeDeleted: true })).toMatchObject({
      status: 'new',
      tags: ['a', 'b'],
      note: 'gift',
      _system: { ov: 2, deleted: true, functionIds: ['fn1'] },
    });
  });

  it('says an op is already applied when the first attempt committed after all, without writing again', async () => {
    const queue = fx.queue();
    const { id } = await fx.ops.create({ status: 'new' });
    // The first attempt committed, but its caller saw a failure and queued it (a lost reply).
    await fx.ops.update(id, { status: 'paid' }, 0, undefined, undefined, { opId: 'op-lost-reply' });
    await queue.enqueue('op-lost-reply', { kind: 'update', id, data: { status: 'paid' }, expectedOv: 0 }, fx.route, new Error('socket hang up'));
    fx.clock.advance(FIRST_DELAY);
    expect((await queue.drain()).done).toEqual([{ opId: 'op-lost-reply', outcome: 'already-applied' }]);
    expect(await fx.ops.history(id)).toHaveLength(2);
  });
});

describe('a queued delete whose record is gone by the time it replays', () => {
  it('counts as done (already absent) and writes nothing', async () => {
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    const { id } = await fx.ops.create({ status: 'new' });
    fx.store.failPuts(1);
    const queued = expectQueued(await orders.delete(id));
    await fx.ops.delete(id); // someone else deleted it meanwhile
    fx.clock.advance(FIRST_DELAY);
    expect((await queue.drain()).done).toEqual([{ opId: queued.opId, outcome: 'already-absent' }]);
    expect(await fx.ops.history(id)).toHaveLength(2);
  });
});

describe('an op that keeps failing', () => {
  it('moves to the dead-letter collection with its last error after maxRetries replays, and writes nothing', async () => {
    const queue = fx.queue({ options: { ...DEFAULT_FALLBACK, maxRetries: 2, deadLetterCollection: 'dead_exhausted' } });
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failPutsForever();
    try {
      const queued = expectQueued(await orders.create({ status: 'doomed' }));
      fx.clock.advance(FIRST_DELAY);
      expect((await queue.drain()).retrying).toMatchObject([{ opId: queued.opId, attempts: 1 }]);
      fx.clock.advance(1500);
      const report = await queue.drain();
      expect(report.deadLettered).toMatchObject([{ opId: queued.opId, cause: 'exhausted' }]);
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ _id: queued.opId, kind: 'create', recordId: queued.id, attempts: 2, cause: 'exhausted' });
      expect(dead[0]?.lastError.message).toMatch(/injected outage: put failed/);
      expect(await queue.pending()).toEqual([]);
      expect(await fx.ops.getLatest(queued.id)).toBeNull();
    } finally {
      fx.store.recover();
    }
  });

  it('is dead-lettered at once when its replay fails for a reason no retry fixes (a lost compare-and-set)', async () => {
    const queue = fx.queue({ options: { ...DEFAULT_FALLBACK, deadLetterCollection: 'dead_permanent' } });
    const orders = withFallback(fx.ops, queue, fx.route);
    const { id } = await fx.ops.create({ status: 'new' });
    fx.store.failPuts(1);
    const queued = expectQueued(await orders.update(id, { status: 'paid' }, 0));
    await fx.ops.update(id, { status: 'cancelled' }, 0); // another writer wins version 1 meanwhile
    fx.clock.advance(FIRST_DELAY);
    const report = await queue.drain();
    expect(report.deadLettered).toMatchObject([{ opId: queued.opId, cause: 'permanent', error: { name: 'ConflictError' } }]);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'cancelled', _system: { ov: 1 } });
    expect(await fx.ops.history(id)).toHaveLength(2);
  });
});
