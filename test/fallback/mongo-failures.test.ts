/**
 * Transient failures of the Mongo step, not only of storage: the write is queued and replayed
 * against the real database; and when the queue's own database is unreachable too, the caller
 * gets a transient error saying the write was neither applied nor queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, MongoNetworkError } from 'mongodb';
import { withFallback } from '../../runtime/fallback/with-fallback.js';
import { createFallbackQueue } from '../../runtime/fallback/fallback-queue.js';
import type { QueuedWriteResult } from '../../runtime/fallback/types.js';
import type { EngineCollectionOps } from '../../runtime/ops/collection-ops.js';
import { DEFAULT_FALLBACK, openFallbackFixture } from './support/fallback-fixture.js';
import type { FallbackFixture } from './support/fallback-fixture.js';

let fx: FallbackFixture;
beforeAll(async () => {
  fx = await openFallbackFixture();
});
afterAll(async () => {
  await fx.teardown();
});

/** The real ops, except that the next `update` loses its connection before reaching the server. */
function droppingUpdates(ops: EngineCollectionOps): EngineCollectionOps {
  return {
    ...ops,
    update: async () => {
      throw new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed');
    },
  };
}

describe('a write whose Mongo step fails with a network error', () => {
  it('is queued and replayed against the database once it answers', async () => {
    const queue = fx.queue();
    const { id } = await fx.ops.create({ status: 'new' });
    const orders = withFallback(droppingUpdates(fx.ops), queue, fx.route);
    const queued = (await orders.update(id, { status: 'paid' }, 0)) as QueuedWriteResult;
    expect(queued).toMatchObject({ queued: true, kind: 'update', id, error: { name: 'MongoNetworkError' } });
    fx.clock.advance(750);
    expect((await queue.drain()).done).toEqual([{ opId: queued.opId, outcome: 'applied' }]);
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'paid', _system: { ov: 1 } });
  });
});

describe('a write that can be neither applied nor queued', () => {
  it('is thrown as a transient StorageError naming both failures', async () => {
    // A queue whose database does not answer: nothing listens on port 9.
    const unreachable = new MongoClient('mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300&maxPoolSize=1');
    try {
      const queue = createFallbackQueue({ db: unreachable.db('nowhere'), options: DEFAULT_FALLBACK, resolve: () => fx.context });
      const orders = withFallback(fx.ops, queue, fx.route);
      fx.store.failPuts(1);
      const error = await orders.create({ status: 'new' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORAGE_FAILED', transient: true });
      expect((error as Error).message).toMatch(/injected outage.*could not be queued/s);
    } finally {
      await unreachable.close();
    }
  });
});
