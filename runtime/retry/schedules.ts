/**
 * The retry schedule of each caller of the retry policy (`policy.ts`, whose TSDoc tables them),
 * kept side by side so their budgets can be compared at a glance.
 */
import type { Backoff, RetrySchedule } from './policy.js';
import { NO_BACKOFF } from './policy.js';

/**
 * A writer that lost its claim to another one (no `expectedOv`): short pauses with full jitter,
 * so contenders spread out and the holder gets a turn to commit, for the engine's write budget.
 */
export function claimContention(writeBudgetMs: number): RetrySchedule {
  return { budget: { budgetMs: writeBudgetMs }, backoff: { baseMs: 2, capMs: 100, multiplier: 2, jitter: 'full' } };
}

/** A hard delete waiting for live writes below its version to finish, for the engine's write budget. */
export function claimsBelowErasure(writeBudgetMs: number): RetrySchedule {
  return { budget: { budgetMs: writeBudgetMs }, backoff: { baseMs: 10, capMs: 250, multiplier: 2, jitter: 'none' } };
}

/** Pauses of an entity upsert that met a concurrent writer of the same entity. */
const ENTITY_BACKOFF: Backoff = { baseMs: 5, capMs: 250, multiplier: 2, jitter: 'full' };

/**
 * How long one entity upsert may keep losing to concurrent writers (re-reading and retrying)
 * before it gives up with a ConflictError. Time, not a round count: a loser can re-read while
 * the winner is still mid-write and lose again without anyone having made progress.
 */
export const ENTITY_CONTENTION_BUDGET_MS = 10_000;

/** An entity upsert that keeps losing to concurrent writers gives up after {@link ENTITY_CONTENTION_BUDGET_MS}. */
export const ENTITY_CONTENTION: RetrySchedule = { budget: { budgetMs: ENTITY_CONTENTION_BUDGET_MS }, backoff: ENTITY_BACKOFF };

/** Waiting for a concurrent creator's record to become readable: within the engine's default lease (5 s). */
export function entityVisibility(leaseMs: number): RetrySchedule {
  return { budget: { budgetMs: leaseMs }, backoff: ENTITY_BACKOFF };
}

/** An identity write that lost its ov claim: more tries than realistic contention on one record. */
export const IDENTITY_OV_CONTENTION: RetrySchedule = {
  budget: { attempts: 1000 },
  backoff: { baseMs: 1, capMs: 20, multiplier: 2, jitter: 'full' },
};

/**
 * A queued fallback op: `maxRetries` replays, `retryDelayMs` doubling to `maxDelayMs` with equal
 * jitter (ops that failed together in one outage come back spread out, yet each wait grows
 * visibly and never drops near zero).
 */
export function fallbackReplays(options: { maxRetries: number; retryDelayMs: number; maxDelayMs: number }): RetrySchedule {
  return { budget: { attempts: options.maxRetries }, backoff: fallbackBackoff(options) };
}

/** The pauses of {@link fallbackReplays}. */
export function fallbackBackoff(options: { retryDelayMs: number; maxDelayMs: number }): Backoff {
  return { baseMs: options.retryDelayMs, capMs: options.maxDelayMs, multiplier: 2, jitter: 'equal' };
}

/**
 * Background counter flushes after failures: from twice the flush's delay (at least 200 ms)
 * doubling to a minute, so a sick server is not hammered; no budget, the counters wait for it.
 */
export function counterFlushes(delayMs: number): RetrySchedule {
  return { budget: {}, backoff: { baseMs: Math.max(delayMs, 100) * 2, capMs: 60_000, multiplier: 2, jitter: 'none' } };
}

/** Duplicate-key races of first-time counter upserts: settled by the next try, 4 tries in all. */
export const COUNTER_UPSERT_RACES: RetrySchedule = { budget: { attempts: 4 }, backoff: NO_BACKOFF };

/**
 * A version claim that met a dead writer's claim (settled, then claimed again) or a cv already
 * taken (the counter re-synced, then drawn again): 9 tries in all, at once.
 */
export const CLAIM_RESETTLES: RetrySchedule = { budget: { attempts: 9 }, backoff: NO_BACKOFF };

/** Two first-ever upserts of the cv counter racing on a pooled connection: 4 tries in all, at once. */
export const FIRST_UPSERT_RACES: RetrySchedule = { budget: { attempts: 4 }, backoff: NO_BACKOFF };

/** Duplicate-key races of shared-memory saves: more tries than realistic contention. */
export const SHARED_SAVE_RACES: RetrySchedule = { budget: { attempts: 1000 }, backoff: NO_BACKOFF };

/** A local `put` whose fresh folder a concurrent delete removed: 5 tries. */
export const LOCAL_PUT_RACES: RetrySchedule = { budget: { attempts: 5 }, backoff: NO_BACKOFF };
