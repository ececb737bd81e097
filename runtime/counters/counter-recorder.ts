/**
 * The write observer behind `counterRules`: counts every committed write into `cnt_total` of the
 * tenant's analytics database, off the write's critical path and exactly once per version.
 *
 * `observe` only computes what the version contributes (rules evaluated in memory) and queues it:
 * no statement is sent before the write returns. Batches go out after `debounceMs`, or at once
 * when `batchSize` contributions wait, through the five idempotent steps of `counter-writer.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { WriteEvent, WriteObserver } from '../ops/write-event.js';
import { ContributionQueue, type CounterBatch } from './counter-batch.js';
import { contributionOf } from './counter-contribution.js';
import { CounterLeaseExpired, CountersPendingError, InjectedCounterCrash } from './counter-errors.js';
import type { CounterRule } from './counter-rule.js';
import { applyBatch, type CounterFaultHook } from './counter-writer.js';
import { pauseBefore } from '../retry/policy.js';
import { counterFlushes } from '../retry/schedules.js';

/** Default number of contributions that sends a batch without waiting for the debounce. */
const DEFAULT_COUNTER_BATCH_SIZE = 500;

/**
 * Default lease of a writer on its batch: past it the writer stops working on the batch and leaves
 * it to the recovery pass (`admin.reconcile()`), which waits {@link DEFAULT_COUNTER_GRACE_MS}.
 */
const DEFAULT_COUNTER_LEASE_MS = 15_000;

/** Options of {@link createCounterRecorder}. */
export interface CounterRecorderOptions {
  /** The analytics database of the event's tenant, or undefined when it has none (nothing is counted). */
  resolveAnalyticsDb: (event: WriteEvent) => Db | undefined;
  /** Validated rules (parse them with {@link counterRuleSchema}). */
  rules: readonly CounterRule[];
  /** How long contributions wait in memory before a batch (`writeOptimization.debounceMs`); 0 sends one right after the event, still after the write returned. */
  debounceMs: number;
  /** Contributions that send a batch at once (`writeOptimization.counterBatchSize`); default {@link DEFAULT_COUNTER_BATCH_SIZE}. */
  batchSize?: number;
  /** Called when a background batch fails; the batch stays pending and is retried with backoff. */
  onError?: (error: unknown) => void;
  /** Time source for events without a valid commit time, and for batch leases; defaults to the system clock. */
  clock?: () => Date;
  /** How long a writer keeps working on one batch (ms); default {@link DEFAULT_COUNTER_LEASE_MS}. */
  leaseMs?: number;
  /** Internal test seam: runs after each step of a batch; a throw acts as a crash there. */
  faults?: CounterFaultHook;
}

/** A running recorder: feed `observe` to the engine, call `flush` before reading exact totals. */
export interface CounterRecorder {
  /**
   * The {@link WriteObserver} to register with the engine. Synchronous and in memory: it sends
   * nothing and returns nothing to wait for; failures to route an event go to `onError`.
   */
  observe: WriteObserver;
  /** The rules the recorder evaluates (the recovery pass needs to know whether any reads the payload). */
  readonly rules: readonly CounterRule[];
  /**
   * Sends everything observed so far and finishes this recorder's batches that failed before;
   * resolves when all of it is durable.
   *
   * @throws CountersPendingError when the analytics database failed; nothing is lost, call it again.
   */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is pending; later events are ignored. */
  close(): Promise<void>;
}

/** A writer id: the key of its marker in counter documents (`j.<id>`), so no dots or dollars. */
function newWriterId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * Creates the counter observer. Each version adds `created|updated|deleted` to the running total
 * and to its day, ISO-week and month buckets (by commit time, UTC), and for every matching rule
 * `rules.<name>.<kind>` and, per `countUnique` prop present, the value if no batch counted it yet.
 *
 * @example
 * ```ts
 * const counters = createCounterRecorder({ resolveAnalyticsDb: (e) => analyticsDbOf(e.tenantId), rules, debounceMs: 100 });
 * engine.addObserver(counters.observe);
 * await counters.flush();
 * await getTotals(analyticsDb, { dbName: 'chronos_runtime_a', collection: 'events', tenantId: 'a' });
 * ```
 */
export function createCounterRecorder(options: CounterRecorderOptions): CounterRecorder {
  const clock = options.clock ?? (() => new Date());
  const batchSize = options.batchSize ?? DEFAULT_COUNTER_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_COUNTER_LEASE_MS;
  const queue = new ContributionQueue();
  /** Batches that failed part-way, retried (resumed) by the next flush while their lease lasts. */
  let unfinished: CounterBatch[] = [];
  let writer = newWriterId();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Flushes run one after another: a writer finishes its batches in order (see counter-writer.ts).
  let chain: Promise<void> = Promise.resolve();

  /** Runs one batch; on failure keeps it for a resume, or drops it when it crashed or outlived its lease. */
  const run = async (batch: CounterBatch, resume: boolean): Promise<unknown> => {
    try {
      await applyBatch(batch, { resume, now: clock, leaseMs, ...(options.faults && { faults: options.faults }) });
      return undefined;
    } catch (error) {
      // The next batches of this recorder use a new marker key, so they never overwrite the marker of this open one.
      writer = newWriterId();
      // A "crashed" batch is forgotten as a dead process forgets it; an expired one is left to recovery.
      if (!(error instanceof InjectedCounterCrash) && !(error instanceof CounterLeaseExpired)) unfinished.push(batch);
      return error;
    }
  };

  const writeOut = async (): Promise<void> => {
    const errors: unknown[] = [];
    const retry = unfinished;
    unfinished = [];
    for (const batch of retry) {
      const error = await run(batch, true);
      if (error !== undefined) errors.push(error);
    }
    for (const { db, contributions } of queue.drain()) {
      for (let i = 0; i < contributions.length; i += batchSize) {
        const batch: CounterBatch = { id: randomUUID(), writer, openedAt: clock(), db, contributions: contributions.slice(i, i + batchSize) };
        const error = await run(batch, false);
        if (error !== undefined) errors.push(error);
      }
    }
    if (errors.length > 0) {
      const [first] = errors;
      if (first instanceof InjectedCounterCrash) throw first;
      throw new CountersPendingError(`counters could not be written (${errors.length} batch${errors.length > 1 ? 'es' : ''} pending): ${String(first)}`, { cause: first });
    }
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const next = chain.then(writeOut);
    chain = next.catch(() => undefined);
    return next;
  };

  // After a failed background flush, wait longer each time (up to a minute) instead of hammering a sick server.
  let failures = 0;
  const schedule = (delayMs: number): void => {
    if (timer || closed) return;
    const delay = failures === 0 ? delayMs : pauseBefore(counterFlushes(delayMs).backoff, failures - 1);
    timer = setTimeout(() => {
      timer = undefined;
      flush().then(
        () => {
          failures = 0;
        },
        (error: unknown) => {
          failures += 1;
          options.onError?.(error);
          if (unfinished.length > 0 || queue.size > 0) schedule(options.debounceMs);
        },
      );
    }, delay);
    timer.unref();
  };

  const observe: WriteObserver = (event) => {
    if (closed) return;
    try {
      const db = options.resolveAnalyticsDb(event);
      if (!db) return;
      const at = event.at instanceof Date && !Number.isNaN(event.at.getTime()) ? event.at : clock();
      queue.add(db, contributionOf(at === event.at ? event : { ...event, at }, options.rules));
    } catch (error) {
      // The write has committed; a counter that cannot be routed is reported, never thrown at the engine.
      options.onError?.(error);
      return;
    }
    if (queue.size >= batchSize && timer && failures === 0) {
      clearTimeout(timer);
      timer = undefined;
    }
    schedule(queue.size >= batchSize ? 0 : options.debounceMs);
  };

  const close = async (): Promise<void> => {
    closed = true;
    await flush();
  };

  return { observe, rules: options.rules, flush, close };
}
