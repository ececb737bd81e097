/**
 * Retrying one idempotent step that talks to MongoDB or object storage (a head read, a claim
 * insert, a payload PUT, a head move): {@link retryTransient} retries it while it fails with a
 * transient error (`transient.ts`), with the pauses and budget of the retry policy
 * (`policy.ts`). Non-idempotent steps are never retried here.
 */
import { MongoServerSelectionError } from 'mongodb';
import { asChronosError } from '../error-boundary.js';
import { isTransientError } from './transient.js';
import type { RetryClock, RetrySchedule } from './policy.js';
import { SYSTEM_CLOCK, startRetries } from './policy.js';

/** How long and how often a transient failure is retried. */
export interface RetryPolicy {
  /** Total time allowed for the step, first try included (ms). */
  budgetMs: number;
  /** First pause; doubles each retry (ms). */
  baseDelayMs: number;
  /** Longest single pause (ms). */
  maxDelayMs: number;
}

/** Default: up to 10 s per step, pauses from 20 ms doubling to at most 1 s, each jittered. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 10_000, baseDelayMs: 20, maxDelayMs: 1_000 };

/** The retry schedule of a {@link RetryPolicy}: its budget, doubling pauses with equal jitter. */
function transientSchedule(policy: RetryPolicy): RetrySchedule {
  return {
    budget: { budgetMs: policy.budgetMs },
    backoff: { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs, multiplier: 2, jitter: 'equal' },
  };
}

/**
 * Runs `step`, retrying it while it fails with a transient error and the budget lasts. Only for
 * steps that are safe to repeat (reads, inserts whose duplicate the caller recognises, PUTs of
 * the same bytes, upserts to the same state). The last failure is rethrown as a
 * `ChronosError` (see {@link asChronosError}).
 *
 * @param what - names the step in the error message, e.g. `"moving the head of orders/42 to v3"`.
 * @param clock - the time the budget is measured on and the pauses are waited on (the engine's).
 */
export async function retryTransient<T>(
  what: string,
  step: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  clock: RetryClock = SYSTEM_CLOCK,
): Promise<T> {
  const tries = startRetries(transientSchedule(policy), clock);
  for (;;) {
    try {
      return await step();
    } catch (e) {
      if (!isTransientError(e) || waitedForServer(e) || !(await tries.next())) throw asChronosError(e, what);
    }
  }
}

/**
 * True for a server-selection failure: the driver has already spent the client's whole
 * `serverSelectionTimeoutMS` looking for a reachable server, which is the bound the user set on
 * that wait (`connections/mongo-client-options.ts`). Trying again would multiply it, so the step
 * fails at once with a transient error: a down server is reported within that bound.
 */
function waitedForServer(e: unknown): boolean {
  return e instanceof MongoServerSelectionError;
}
