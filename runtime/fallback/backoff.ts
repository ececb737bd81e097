/**
 * When a queued op is tried again: exponential backoff with "equal jitter".
 */
import type { FallbackOptions } from './types.js';

/**
 * The wait before replay number `attempt + 1` (`attempt` = replays already failed; 0 for the
 * first replay after the original failure): `retryDelayMs * 2^attempt`, capped at `maxDelayMs`,
 * then jittered into `[d/2, d]`.
 *
 * Why equal jitter: ops that failed together in one outage should not all come back in the same
 * instant when the backend recovers (full jitter spreads them best), but the delay should still
 * grow visibly with each failure and never drop near zero (full jitter can); half fixed, half
 * random gives both. The cap applies before the jitter, so no wait exceeds `maxDelayMs`.
 *
 * @param random - a number in `[0, 1)`; injectable so tests can pin it.
 */
export function backoffDelay(
  attempt: number,
  options: Pick<FallbackOptions, 'retryDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  // 2^attempt overflows to Infinity for huge attempts; min() still caps it.
  const nominal = Math.min(options.maxDelayMs, options.retryDelayMs * 2 ** Math.max(0, attempt));
  const half = nominal / 2;
  return Math.round(half + random() * half);
}
