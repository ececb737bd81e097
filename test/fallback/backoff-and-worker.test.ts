/**
 * When replays happen: the backoff schedule (on an injected clock, no sleeping) and the
 * background worker's start/stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../runtime/fallback/backoff.js';
import { createDrainWorker } from '../../runtime/fallback/drain-worker.js';
import { withFallback } from '../../runtime/fallback/with-fallback.js';
import type { DrainReport, QueuedWriteResult } from '../../runtime/fallback/types.js';
import { DEFAULT_FALLBACK, openFallbackFixture } from './support/fallback-fixture.js';
import type { FallbackFixture } from './support/fallback-fixture.js';

let fx: FallbackFixture;
beforeAll(async () => {
  fx = await openFallbackFixture();
});
afterAll(async () => {
  await fx.teardown();
});

describe('backoff', () => {
  const options = { retryDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the nominal delay per failed replay and caps it at maxDelayMs', () => {
    const top = [0, 1, 2, 3, 4, 5, 12, 2000].map((attempt) => backoffDelay(attempt, options, () => 0.999999));
    expect(top).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('jitters each delay into the upper half of its nominal value', () => {
    const bottom = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, () => 0));
    expect(bottom).toEqual([50, 100, 200, 400, 500]);
    for (let i = 0; i < 200; i += 1) {
      const d = backoffDelay(3, options);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('schedules each replay of a failing op later by the grown delay, and not before it is due', async () => {
    const queue = fx.queue({ options: { ...DEFAULT_FALLBACK, maxRetries: 10, retryDelayMs: 1000, maxDelayMs: 5000, deadLetterCollection: 'dead_backoff' } });
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failPutsForever();
    try {
      const queued = (await orders.create({ status: 'new' })) as QueuedWriteResult;
      const [op] = await queue.pending();
      let wait = (op?.nextAttemptAt.getTime() ?? 0) - (op?.enqueuedAt.getTime() ?? 0);
      const waits = [wait];
      for (let i = 0; i < 5; i += 1) {
        fx.clock.advance(wait - 1);
        expect((await queue.drain()).retrying).toEqual([]); // 1 ms early: untouched
        fx.clock.advance(1);
        const [retry] = (await queue.drain()).retrying;
        expect(retry?.opId).toBe(queued.opId);
        wait = (retry?.nextAttemptAt.getTime() ?? 0) - fx.clock.now().getTime();
        waits.push(wait);
      }
      // random pinned at 0.5: 0.75 × min(5000, 1000 × 2^attempt)
      expect(waits).toEqual([750, 1500, 3000, 3750, 3750, 3750]);
    } finally {
      fx.store.recover();
    }
  });
});

describe('the background worker', () => {
  it('replays due ops on its own, and stop() waits for the replay in flight', async () => {
    const passes: DrainReport[] = [];
    const queue = fx.queue({ pollIntervalMs: 5, onPass: (r) => passes.push(r) });
    const orders = withFallback(fx.ops, queue, fx.route);
    fx.store.failPuts(1);
    const queued = (await orders.create({ status: 'new' })) as QueuedWriteResult;
    fx.clock.advance(750);

    const gate = fx.store.gatePuts();
    queue.start();
    await gate.reached; // the worker's replay is writing the payload now
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    gate.open();
    await stopping;

    // (The op of the backoff test above is still waiting, not yet due: only this one must be gone.)
    expect((await queue.pending()).map((op) => op._id)).not.toContain(queued.opId);
    expect(passes.flatMap((p) => p.done)).toEqual([{ opId: queued.opId, outcome: 'applied' }]);
    expect(await fx.ops.getLatest(queued.id)).toMatchObject({ status: 'new', _system: { ov: 0 } });
  });

  it('runs passes one after another, never two at once, and none after stop()', async () => {
    const releases: Array<() => void> = [];
    let running = 0;
    let maxRunning = 0;
    let onStart: (() => void) | undefined;
    const nextStart = () => new Promise<void>((resolve) => (onStart = resolve));
    const worker = createDrainWorker({
      intervalMs: 0,
      drain: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        const held = new Promise<void>((resolve) => releases.push(resolve));
        onStart?.();
        await held;
        running -= 1;
        return { done: [], retrying: [], deadLettered: [], skipped: [] };
      },
    });
    const first = nextStart();
    worker.start();
    worker.start();
    await first;
    const second = nextStart();
    releases[0]?.();
    await second;
    expect(releases).toHaveLength(2);
    const stopping = worker.stop();
    releases[1]?.();
    await stopping;
    await worker.stop();
    expect(maxRunning).toBe(1);
    expect(releases).toHaveLength(2);
  });
});
