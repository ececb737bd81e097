/**
 * Runs `task` over `items` with at most `limit` in flight, resolving once all succeed and
 * rejecting with the first failure once the tasks already running have finished (none start
 * after it, and none is still running when the call settles).
 * Used where a backend has no batch call, so a large batch cannot open thousands of sockets
 * or file handles at once.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const workers = Array.from({ length: Math.min(limit, items.length) }, () => worker());
  const settled = await Promise.allSettled(workers);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** Runs tasks with at most `limit` of them in flight; the others wait their turn in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A {@link Limiter} to share between callers that together must not exceed `limit` (for example
 * the uploads of several batches of one call).
 */
export function createLimiter(limit: number): Limiter {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
