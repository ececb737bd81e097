/**
 * When a queued op is tried again: the fallback queue's schedule of the retry policy
 * (`fallbackBackoff` in `retry/schedules.ts`).
 */
import { pauseBefore } from '../retry/policy.js';
import { fallbackBackoff } from '../retry/schedules.js';
import type { FallbackOptions } from './types.js';

/**
 * The wait before replay number `attempt + 1` (`attempt` = replays already failed; 0 for the
 * first replay after the original failure): `retryDelayMs * 2^attempt`, capped at `maxDelayMs`,
 * then jittered into `[d/2, d]`. The cap applies before the jitter, so no wait exceeds `maxDelayMs`.
 *
 * @param random - a number in `[0, 1)`; injectable so tests can pin it.
 */
export function backoffDelay(
  attempt: number,
  options: Pick<FallbackOptions, 'retryDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  return pauseBefore(fallbackBackoff(options), attempt, random);
}
