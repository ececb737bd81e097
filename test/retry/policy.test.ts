/**
 * The retry policy (`runtime/retry/policy.ts`): pauses grow and stay within their jitter bounds,
 * budgets of tries and of time are kept, and every wait goes through the clock it is given.
 */
import { describe, expect, it } from 'vitest';
import type { Backoff, RetryClock } from '../../runtime/retry/policy.js';
import { pauseBefore, startRetries, withinBudget } from '../../runtime/retry/policy.js';
import { retryTransient } from '../../runtime/retry/retry.js';
import { StorageError, ValidationError } from '../../runtime/errors.js';

/** A clock that only moves when something sleeps on it, and records each pause. */
function fakeClock(random?: () => number): RetryClock & { pauses: number[] } {
  let now = 1_000_000;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => now,
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
    },
    ...(random && { random }),
  };
}

const doubling = (jitter: Backoff['jitter']): Backoff => ({ baseMs: 10, capMs: 100, multiplier: 2, jitter });

describe('pauses', () => {
  it('grows by the multiplier and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 50, 5000].map((r) => pauseBefore(doubling('none'), r))).toEqual([10, 20, 40, 80, 100, 100, 100]);
  });

  it('keeps equal jitter within the upper half of each pause', () => {
    expect(pauseBefore(doubling('equal'), 2, () => 0)).toBe(20);
    expect(pauseBefore(doubling('equal'), 2, () => 0.999999)).toBe(40);
    for (let i = 0; i < 500; i += 1) {
      const pause = pauseBefore(doubling('equal'), 3);
      expect(pause).toBeGreaterThanOrEqual(40);
      expect(pause).toBeLessThanOrEqual(80);
    }
  });

  it('keeps full jitter between zero and the pause', () => {
    expect(pauseBefore(doubling('full'), 1, () => 0)).toBe(0);
    for (let i = 0; i < 500; i += 1) {
      const pause = pauseBefore(doubling('full'), 10);
      expect(pause).toBeGreaterThanOrEqual(0);
      expect(pause).toBeLessThanOrEqual(100);
    }
  });
});

describe('budgets', () => {
  it('allows exactly the budgeted number of tries', async () => {
    const clock = fakeClock();
    const tries = startRetries({ budget: { attempts: 4 }, backoff: doubling('none') }, clock);
    const answers: boolean[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await tries.next());
    expect(answers).toEqual([true, true, true, false, false, false]);
    expect(clock.pauses).toEqual([10, 20, 40]);
  });

  it('stops once the time budget is spent and never waits past its end', async () => {
    const clock = fakeClock();
    const tries = startRetries({ budget: { budgetMs: 100 }, backoff: doubling('none') }, clock);
    let retries = 0;
    while (await tries.next()) retries += 1;
    // 10 + 20 + 40 = 70, then the 80 ms pause is cut to the 30 ms left.
    expect(clock.pauses).toEqual([10, 20, 40, 30]);
    expect(retries).toBe(4);
    expect(tries.elapsedMs()).toBe(100);
  });

  it('counts the pauses taken even when the clock stands still, so a pinned clock still ends the loop', async () => {
    const pauses: number[] = [];
    const pinned: RetryClock = { now: () => 0, sleep: async (ms) => void pauses.push(ms) };
    const tries = startRetries({ budget: { budgetMs: 50 }, backoff: doubling('none') }, pinned);
    while (await tries.next());
    expect(pauses).toEqual([10, 20, 20]);
  });

  it('tells a caller that keeps its own count whether another try is allowed', () => {
    expect(withinBudget({ attempts: 3 }, 2)).toBe(true);
    expect(withinBudget({ attempts: 3 }, 3)).toBe(false);
    expect(withinBudget({ budgetMs: 10 }, 99, 9)).toBe(true);
    expect(withinBudget({ budgetMs: 10 }, 0, 10)).toBe(false);
    expect(withinBudget({}, 1e9, 1e9)).toBe(true);
  });
});

describe('retrying a transient step', () => {
  const policy = { budgetMs: 1_000, baseDelayMs: 20, maxDelayMs: 200 };

  it('waits on the clock it is given, with equal jitter, and returns the first success', async () => {
    const clock = fakeClock(() => 0);
    let calls = 0;
    const value = await retryTransient(
      'reading a head',
      async () => {
        calls += 1;
        if (calls < 4) throw new StorageError('socket hang up', { transient: true });
        return 'ok';
      },
      policy,
      clock,
    );
    expect(value).toBe('ok');
    expect(clock.pauses).toEqual([10, 20, 40]);
  });

  it('gives up with the last failure once the budget is spent', async () => {
    const clock = fakeClock(() => 0.999999);
    let calls = 0;
    const failing = retryTransient('moving a head', async () => {
      calls += 1;
      throw new StorageError('socket hang up', { transient: true });
    }, policy, clock);
    await expect(failing).rejects.toMatchObject({ code: 'STORAGE_FAILED', transient: true });
    expect(clock.pauses.reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(calls).toBe(clock.pauses.length + 1);
  });

  it('does not retry a failure a retry cannot fix', async () => {
    const clock = fakeClock();
    await expect(retryTransient('x', () => Promise.reject(ValidationError.at(['a'], 'bad')), policy, clock)).rejects.toBeInstanceOf(ValidationError);
    expect(clock.pauses).toEqual([]);
  });
});
