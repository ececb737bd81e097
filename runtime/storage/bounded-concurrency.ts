/**
 * Runs `task` over `items` with at most `limit` in flight, resolving once all succeed and
 * rejecting with the first failure (tasks already running still finish; none start after it).
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
  await Promise.all(workers);
}
