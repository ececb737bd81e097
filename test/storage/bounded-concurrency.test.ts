import { describe, expect, it } from 'vitest';
import { createLimiter, forEachConcurrently } from '../../runtime/storage/bounded-concurrency.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachConcurrently', () => {
  it('settles only after the tasks already running have finished, and starts none after a failure', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = forEachConcurrently([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 0) throw new Error('first fails');
      await pause(20);
      finished.push(n);
    });
    await expect(run).rejects.toThrow('first fails');
    expect(finished).toEqual([1]); // task 1 was running when 0 failed: it finished before the call settled
    expect(started).toEqual([0, 1]);
  });
});

describe('createLimiter', () => {
  it('lets at most `limit` tasks of all its callers run at once, in arrival order', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) =>
      limit(async () => {
        order.push(n);
        running += 1;
        most = Math.max(most, running);
        await pause(5);
        running -= 1;
        return n * 2;
      });
    const first = Promise.all([0, 1, 2, 3, 4].map(task));
    const second = Promise.all([5, 6, 7, 8, 9].map(task));
    expect(await first).toEqual([0, 2, 4, 6, 8]);
    expect(await second).toEqual([10, 12, 14, 16, 18]);
    expect(most).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(async () => 'next')).toBe('next');
  });
});
