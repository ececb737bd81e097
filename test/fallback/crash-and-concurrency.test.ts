/**
 * The queue's promises under crashes and competition: a worker that dies after its write (or
 * half-way through a dead-letter move) never causes a second version or a lost op, and two
 * workers in two processes (two clients) replay each op once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFallback } from '../../runtime/fallback/with-fallback.js';
import { createFallbackQueue } from '../../runtime/fallback/fallback-queue.js';
import type { QueuedWriteResult } from '../../runtime/fallback/types.js';
import { createCollectionOps } from '../../runtime/ops/collection-ops.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { DEFAULT_CLOCK_SKEW_MS, DEFAULT_LEASE_MS } from '../../runtime/ops/context.js';
import { DEFAULT_FALLBACK, openFallbackFixture } from './support/fallback-fixture.js';
import type { FallbackFixture } from './support/fallback-fixture.js';

let fx: FallbackFixture;
beforeAll(async () => {
  fx = await openFallbackFixture();
});
afterAll(async () => {
  await fx.teardown();
});

const FIRST_DELAY = 750;
const LEASE_MS = 120_000;

function crashAt(step: string) {
  return async (at: string) => {
    if (at === step) throw new Error('process killed');
  };
}

describe('a worker that crashes after the write is applied, before the op is removed', () => {
  it('leaves an update that the next worker finds already applied, so no second version is written', async () => {
    const { id } = await fx.ops.create({ status: 'new' });
    const orders = withFallback(fx.ops, fx.queue(), fx.route);
    fx.store.failPuts(1);
    const queued = (await orders.update(id, { status: 'paid' })) as QueuedWriteResult;
    expect(queued.queued).toBe(true);
    fx.clock.advance(FIRST_DELAY);

    await expect(fx.queue({ faults: crashAt('replayed') }).drain()).rejects.toThrow(/injected crash after replayed/);
    expect(await fx.ops.history(id)).toHaveLength(2);
    expect((await fx.queue().pending()).map((op) => op._id)).toEqual([queued.opId]);

    const restarted = fx.queue();
    expect((await restarted.drain()).skipped).toEqual([queued.opId]); // the dead worker's lease is still live
    fx.clock.advance(LEASE_MS);
    expect((await restarted.drain()).done).toEqual([{ opId: queued.opId, outcome: 'already-applied' }]);
    expect(await fx.ops.history(id)).toHaveLength(2);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'paid', _system: { ov: 1 } });
    expect(await restarted.pending()).toEqual([]);
  });

  it('leaves a create that the next worker finds already applied, so the record has one version', async () => {
    const orders = withFallback(fx.ops, fx.queue(), fx.route);
    fx.store.failPuts(1);
    const queued = (await orders.create({ status: 'new' })) as QueuedWriteResult;
    fx.clock.advance(FIRST_DELAY);
    await expect(fx.queue({ faults: crashAt('replayed') }).drain()).rejects.toThrow(/injected crash/);
    fx.clock.advance(LEASE_MS);
    expect((await fx.queue().drain()).done).toEqual([{ opId: queued.opId, outcome: 'already-applied' }]);
    expect(await fx.ops.history(queued.id)).toHaveLength(1);
  });
});

describe('a first attempt that wrote its payload but died before moving the head', () => {
  it('is finished by the replay once the dead attempt\'s lease has run out: no second version, and reads show the write', async () => {
    const { id } = await fx.ops.create({ status: 'new' });
    const dying = createCollectionOps({
      ...fx.context,
      faults: (step) => {
        if (step === 'payload-written') throw new Error('process died after the payload');
      },
    });
    await expect(dying.update(id, { status: 'paid' }, 0, undefined, undefined, { opId: 'op-half-committed' })).rejects.toThrow(/injected crash/);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'new' }); // the head is still behind
    // What withFallback does when the failure is a network error: queue it under the same opId.
    const queue = fx.queue();
    await queue.enqueue('op-half-committed', { kind: 'update', id, data: { status: 'paid' }, expectedOv: 0 }, fx.route, new Error('socket closed'));
    fx.clock.advance(Math.max(FIRST_DELAY, DEFAULT_LEASE_MS + DEFAULT_CLOCK_SKEW_MS + 1));
    expect((await queue.drain()).done).toEqual([{ opId: 'op-half-committed', outcome: 'already-applied' }]);
    expect(await fx.ops.history(id)).toHaveLength(2);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'paid', _system: { ov: 1 } });
  });
});

describe('a worker that crashes half-way through a dead-letter move', () => {
  it('leaves the op in both collections, and the next pass only removes it from the queue', async () => {
    const options = { ...DEFAULT_FALLBACK, maxRetries: 1, deadLetterCollection: 'dead_crash' };
    const orders = withFallback(fx.ops, fx.queue({ options }), fx.route);
    fx.store.failPutsForever();
    let queued: QueuedWriteResult;
    try {
      queued = (await orders.create({ status: 'doomed' })) as QueuedWriteResult;
      fx.clock.advance(FIRST_DELAY);
      await expect(fx.queue({ options, faults: crashAt('dead-letter-inserted') }).drain()).rejects.toThrow(/injected crash/);
    } finally {
      fx.store.recover();
    }
    const next = fx.queue({ options });
    expect((await next.pending()).map((op) => op._id)).toEqual([queued.opId]);
    expect((await next.deadLetters()).map((d) => d._id)).toEqual([queued.opId]);

    fx.clock.advance(LEASE_MS);
    const report = await next.drain();
    expect(report).toMatchObject({ done: [], retrying: [], deadLettered: [] });
    expect(await next.pending()).toEqual([]);
    expect(await next.deadLetters()).toHaveLength(1);
    // Not replayed although the store works again: a dead-lettered op stays dead.
    expect(await fx.ops.getLatest(queued.id)).toBeNull();
  });
});

describe('two workers draining at the same time', () => {
  it('replay each op exactly once, each with its own client as separate processes would', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await fx.ops.create({ status: 'new', n: i })).id);
    const orders = withFallback(fx.ops, fx.queue(), fx.route);
    fx.store.failPuts(ids.length);
    for (const id of ids) expect((await orders.update(id, { status: 'paid' })).queued).toBe(true);
    fx.clock.advance(FIRST_DELAY);

    const other = await fx.secondClient();
    const otherContext = { ...fx.context, db: other.db(fx.db.databaseName) };
    // maxRetries 10: on FerretDB 1.24 the second client's engine fails its index check (a
    // createIndexes of several existing indexes panics the server's connection handler), so its
    // replays fail transiently until the first worker takes them over; none may be exhausted.
    const options = { ...DEFAULT_FALLBACK, maxRetries: 10 };
    const second = createFallbackQueue({
      db: other.db(fx.db.databaseName),
      options,
      resolve: () => otherContext,
      clock: fx.clock.now,
      random: () => 0.5,
    });
    const first = fx.queue({ options });
    const done: Array<{ opId: string; outcome: string }> = [];
    // Two clients on FerretDB's SQLite can see a dropped connection under contention: the queue
    // retries that like any transient failure, so run rounds until the queue is empty.
    for (let round = 0; round < 5 && (await first.pending()).length > 0; round += 1) {
      const [a, b] = await Promise.all([first.drain(), second.drain()]);
      done.push(...a.done, ...b.done);
      expect([...a.deadLettered, ...b.deadLettered]).toEqual([]);
      fx.clock.advance(LEASE_MS);
    }
    expect(done.filter((d) => d.outcome === 'applied')).toHaveLength(ids.length);
    expect(new Set(done.map((d) => d.opId)).size).toBe(done.length);
    for (const id of ids) {
      expect(await fx.ops.history(id)).toHaveLength(2);
      expect(await createCollectionOps(otherContext).getLatest(id)).toMatchObject({ status: 'paid', _system: { ov: 1 } });
    }
    expect(await fx.queue().pending()).toEqual([]);
  });
});

describe('two drains interleaving on one client', () => {
  it('replay each op exactly once even when both reach the same op', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await fx.ops.create({ status: 'new', n: i })).id);
    const orders = withFallback(fx.ops, fx.queue(), fx.route);
    fx.store.failPuts(ids.length);
    for (const id of ids) expect((await orders.update(id, { status: 'paid' })).queued).toBe(true);
    fx.clock.advance(FIRST_DELAY);
    const reports = await Promise.all([fx.queue().drain(), fx.queue().drain(), fx.queue().drain()]);
    const done = reports.flatMap((r) => r.done);
    expect(done.map((d) => d.outcome)).toEqual(ids.map(() => 'applied'));
    expect(new Set(done.map((d) => d.opId)).size).toBe(ids.length);
    expect(reports.flatMap((r) => [...r.retrying, ...r.deadLettered])).toEqual([]);
    for (const id of ids) expect(await fx.ops.history(id)).toHaveLength(2);
  });
});

describe('a claim the failed attempt could not roll back', () => {
  it('is marked abandoned, and the replay settles it and applies the write without waiting for reconcile', async () => {
    const { id } = await fx.ops.create({ status: 'new' });
    const queue = fx.queue();
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failWrites(2); // the put fails, then the rollback's listing fails: a pending claim on v1 stays
    const queued = (await orders.update(id, { status: 'paid' })) as QueuedWriteResult;
    const claim = await fx.context.db.collection(`${fx.context.collection}_ver`).findOne({ id, ov: 1 });
    expect(claim).toMatchObject({ state: 'pending', abandoned: true });

    fx.clock.advance(FIRST_DELAY);
    expect((await queue.drain()).done).toEqual([{ opId: queued.opId, outcome: 'applied' }]);
    expect(await fx.ops.history(id)).toHaveLength(2);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'paid', _system: { ov: 1 } });
    expect((await reconcileCollection(fx.context, { graceMs: 0 })).rolledBack).toEqual([]);
  });
});
