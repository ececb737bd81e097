/**
 * The engine's retry loops wait through the engine's clock seam (`EngineContext.clock` and
 * `sleep`): a writer that keeps losing to a live claim spends its whole write budget on the
 * test's clock, not on the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../runtime/errors.js';
import { openFixture, type Fixture } from '../ops/support/fixture.js';
import { holdAt } from '../ops/support/hold-at.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await openFixture('local');
});
afterAll(async () => {
  await fx.teardown();
});

describe('the engine clock seam', () => {
  it('backs off a writer that lost its claim on the injected sleep, up to the write budget', async () => {
    const ops = fx.ops('seam', { leaseMs: 600_000 });
    const { id } = await ops.create({ n: 0 });
    const hold = holdAt('claimed', 'update');
    const holder = fx.ops('seam', { leaseMs: 600_000, faults: hold.hook }).update(id, { n: 'held' });
    await hold.reached;

    let now = Date.now();
    const pauses: number[] = [];
    const loser = fx.ops('seam', {
      leaseMs: 600_000,
      writeBudgetMs: 2_000,
      clock: () => new Date(now),
      // Each pause moves the test's clock twice as far, so a budget read on it ends after half the pauses.
      sleep: async (ms) => {
        pauses.push(ms);
        now += 2 * ms;
      },
    });
    const error = await loser.update(id, { n: 'loser' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(pauses.length).toBeGreaterThan(1);
    expect(pauses.every((ms) => ms >= 0 && ms <= 100)).toBe(true);
    // The budget was read on the test's clock: it ran out after about 1 s of pauses (the wall clock,
    // or pauses alone, would have needed 2 s of them), and nothing waited on a real timer.
    const paused = pauses.reduce((a, b) => a + b, 0);
    expect(paused).toBeGreaterThanOrEqual(1_000);
    expect(paused).toBeLessThan(1_200);

    hold.release();
    await expect(holder).resolves.toMatchObject({ ov: 1 });
  });
});
