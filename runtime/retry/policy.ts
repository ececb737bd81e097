/**
 * The one retry policy of Chronos: every loop that tries something again (a transient step, a
 * write that lost its claim, a queued op, a counter flush) takes its pauses and its budget from
 * here, each with the {@link RetrySchedule} of its caller (`schedules.ts`). What counts as worth
 * retrying stays with the caller (`transient.ts` for outside systems, conflicts for writers).
 *
 * Callers and their budgets:
 *
 * | Caller | Retries on | Budget | Backoff (base → cap, ×multiplier, jitter) |
 * |---|---|---|---|
 * | `engine.retry` (`retry.ts`) | a transient MongoDB or storage failure of one idempotent step | 10 s (`EngineContext.retry`) | 20 ms → 1 s, ×2, equal |
 * | `onHead` (update, delete, enrich, restore) | a lost claim, without `expectedOv` | `writeBudgetMs` (30 s) | 2 ms → 100 ms, ×2, full |
 * | hard delete, claiming the erasure | a lost claim | `writeBudgetMs` | 2 ms → 100 ms, ×2, full |
 * | hard delete, waiting for claims below it | a live writer below the erasure | `writeBudgetMs` | 10 ms → 250 ms, ×2, none |
 * | `restoreCollection`, one record | a lost claim | `writeBudgetMs` | 2 ms → 100 ms, ×2, full |
 * | entity upsert | a concurrent writer of the entity | 10 s | 5 ms → 250 ms, ×2, full |
 * | entity upsert, waiting for a concurrent create | the record not readable yet | 5 s (the default lease) | 5 ms → 250 ms, ×2, full |
 * | identity writes (`writeNextOv`) | a lost ov claim | 1000 tries | 1 ms → 20 ms, ×2, full |
 * | fallback queue replays | a failed replay | `maxRetries` replays (the original write not counted) | `retryDelayMs` → `maxDelayMs`, ×2, equal |
 * | counter recorder, background flush | a failed flush | until it succeeds | 2 × max(flush delay, 100 ms) → 60 s, ×2, none |
 * | `claimVersion` | a dead writer's claim settled, or a taken cv re-synced | 9 tries | none |
| cv counter reservation | a duplicate-key race of first upserts | 4 tries | none |
| counter writer upserts | a duplicate-key race of first upserts | 4 tries | none |
 * | shared memory saves | a duplicate-key race | 1000 tries | none |
 * | local object store `put` | a folder removed under it | 5 tries | none |
 *
 * Time goes through a {@link RetryClock}: the engine's loops use the engine's clock and sleep
 * (`EngineContext.clock`, `EngineContext.sleep`), so a test moves time instead of waiting.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** How a pause is randomised so failures that happened together do not retry together. */
export type Jitter =
  /** The pause as computed. */
  | 'none'
  /** Half fixed, half random: `[d/2, d]`; grows visibly and never drops near zero. */
  | 'equal'
  /** Anywhere in `[0, d]`: spreads contending writers best. */
  | 'full';

/** The pauses between tries: `baseMs × multiplier^retry`, capped at `capMs`, then jittered. */
export interface Backoff {
  /** First pause (ms); 0 retries at once. */
  baseMs: number;
  /** Longest pause (ms), applied before the jitter so no pause exceeds it. */
  capMs: number;
  /** Growth per retry (2 doubles). */
  multiplier: number;
  /** See {@link Jitter}. */
  jitter: Jitter;
}

/** When to stop: after `attempts` tries, after `budgetMs`, or whichever comes first. */
export interface RetryBudget {
  /** Tries in all, the first one included. */
  attempts?: number;
  /** Time for all tries, pauses included (ms), measured on the {@link RetryClock}. */
  budgetMs?: number;
}

/** One caller's retry policy: its budget and its pauses. */
export interface RetrySchedule {
  budget: RetryBudget;
  backoff: Backoff;
}

/** The time a retry loop reads and waits on; tests pass one that moves without waiting. */
export interface RetryClock {
  /** Milliseconds since any fixed point. */
  now(): number;
  /** Waits `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** A number in `[0, 1)` for the jitter; default `Math.random`. */
  random?(): number;
}

/** Wall time and real timers. */
export const SYSTEM_CLOCK: RetryClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

/** No pause: for races a second try settles at once (a duplicate key of two first inserts). */
export const NO_BACKOFF: Backoff = { baseMs: 0, capMs: 0, multiplier: 1, jitter: 'none' };

/**
 * The pause before retry number `retry + 1` (`retry` = retries already made, 0 before the first
 * retry), rounded to whole milliseconds.
 *
 * @param random - a number in `[0, 1)`; injectable so tests can pin it.
 */
export function pauseBefore(backoff: Backoff, retry: number, random: () => number = Math.random): number {
  // multiplier^retry overflows to Infinity for huge retries; min() still caps it.
  const nominal = Math.min(backoff.capMs, backoff.baseMs * backoff.multiplier ** Math.max(0, retry));
  switch (backoff.jitter) {
    case 'none':
      return Math.round(nominal);
    case 'equal':
      return Math.round(nominal / 2 + random() * (nominal / 2));
    case 'full':
      return Math.round(random() * nominal);
  }
}

/**
 * True while `budget` allows another try after `failures` failed ones and `elapsedMs` spent;
 * for callers that keep the count themselves (the fallback queue stores it with the op).
 */
export function withinBudget(budget: RetryBudget, failures: number, elapsedMs = 0): boolean {
  if (budget.attempts !== undefined && failures >= budget.attempts) return false;
  return budget.budgetMs === undefined || elapsedMs < budget.budgetMs;
}

/** The retries of one loop, started by {@link startRetries}. */
export interface Retries {
  /** Tries that failed so far. */
  readonly failures: number;
  /** Time since the loop started (ms). */
  elapsedMs(): number;
  /**
   * Call after a failed try: false when the budget is spent (the caller gives up); otherwise
   * waits the next pause (never past the budget's end) and returns true.
   */
  next(): Promise<boolean>;
}

/**
 * Starts counting the tries of one loop against `schedule`. Elapsed time is the clock's, but
 * never less than the pauses already waited, so a clock a test pinned still ends the loop.
 *
 * @example
 * ```ts
 * const tries = startRetries(schedule, SYSTEM_CLOCK);
 * for (;;) {
 *   try {
 *     return await step();
 *   } catch (e) {
 *     if (!worthRetrying(e) || !(await tries.next())) throw e;
 *   }
 * }
 * ```
 */
export function startRetries(schedule: RetrySchedule, clock: RetryClock = SYSTEM_CLOCK): Retries {
  const { budget, backoff } = schedule;
  const start = clock.now();
  let failures = 0;
  let slept = 0;
  const elapsedMs = (): number => Math.max(clock.now() - start, slept);
  return {
    get failures() {
      return failures;
    },
    elapsedMs,
    async next() {
      failures += 1;
      const elapsed = elapsedMs();
      if (!withinBudget(budget, failures, elapsed)) return false;
      const left = budget.budgetMs === undefined ? Infinity : budget.budgetMs - elapsed;
      const pause = Math.min(left, pauseBefore(backoff, failures - 1, clock.random ?? Math.random));
      if (pause > 0) {
        slept += pause;
        await clock.sleep(pause);
      }
      return true;
    },
  };
}
