/**
 * The write observer behind `counterRules`: counts every committed write into `cnt_total` of the
 * tenant's analytics database, debounced, with exact unique counts.
 */
import type { Db } from 'mongodb';
import type { WriteEvent, WriteObserver } from '../ops/write-event.js';
import { CounterBatch } from './counter-batch.js';
import { evaluateRules, type CounterRule } from './counter-rule.js';
import { writeCounters } from './counter-writer.js';

/** Options of {@link createCounterRecorder}. */
export interface CounterRecorderOptions {
  /** The analytics database of the event's tenant, or undefined when it has none (nothing is counted). */
  resolveAnalyticsDb: (event: WriteEvent) => Db | undefined;
  /** Validated rules (parse them with {@link counterRuleSchema}). */
  rules: readonly CounterRule[];
  /** How long increments wait in memory before one write; 0 writes on every event (`writeOptimization.debounceMs`). */
  debounceMs: number;
  /** Called when a background or per-event write fails; the increments stay pending and are retried with backoff. */
  onError?: (error: unknown) => void;
  /** Time source for events without a valid commit time; defaults to the system clock. */
  clock?: () => Date;
}

/** A running recorder: feed `observe` to the engine, call `flush` before reading exact totals. */
export interface CounterRecorder {
  /**
   * The {@link WriteObserver} to register with the engine. Counting is in memory; with
   * `debounceMs: 0` the returned promise resolves once the write is durable (or has failed and
   * been reported to `onError`). It never rejects.
   */
  observe: WriteObserver;
  /** Writes everything observed so far; resolves when it is durable, rejects (keeping it pending) when a write failed. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is pending; later events are ignored. */
  close(): Promise<void>;
}

/**
 * Creates the counter observer. Each event adds `created|updated|deleted` to the running total and
 * to its day, ISO-week and month buckets (by the event's commit time, UTC), and for every matching
 * rule `rules.<name>.<kind>` and one unique claim per `countUnique` prop present.
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
  let pending = new CounterBatch();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Flushes run one after another, so a flush resolves only after every earlier batch is durable.
  let chain: Promise<void> = Promise.resolve();

  const writeOut = async (): Promise<void> => {
    if (pending.isEmpty) return;
    const batch = pending;
    pending = new CounterBatch();
    const errors: unknown[] = [];
    for (const { db, docs } of batch.groups()) {
      try {
        const outcome = await writeCounters(db, docs);
        if (outcome.leftover.length > 0) pending.restore(outcome.leftover);
        if (outcome.error !== undefined) errors.push(outcome.error);
      } catch (error) {
        // writeCounters reports write failures itself; anything thrown happened before a write.
        pending.restore(docs);
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const run = chain.then(writeOut);
    chain = run.catch(() => undefined);
    return run;
  };

  // After a failed background flush, wait longer each time (up to a minute) instead of hammering a sick server.
  let failures = 0;
  const schedule = (): void => {
    if (timer || closed) return;
    const delay = failures === 0 ? options.debounceMs : Math.min(60_000, Math.max(options.debounceMs, 100) * 2 ** failures);
    timer = setTimeout(() => {
      timer = undefined;
      flush().then(
        () => {
          failures = 0;
        },
        (error: unknown) => {
          failures += 1;
          options.onError?.(error);
          schedule();
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
      const counted = at === event.at ? event : { ...event, at };
      pending.add(db, counted, evaluateRules(counted, options.rules));
    } catch (error) {
      // The write has committed; a counter that cannot be routed is reported, never thrown at the engine.
      options.onError?.(error);
      return;
    }
    if (options.debounceMs > 0) {
      schedule();
      return;
    }
    // Never rejects: an engine that forgets to catch must not crash on a counter write. The
    // increments stay pending and a background retry (with backoff) picks them up.
    return flush().catch((error: unknown) => {
      failures += 1;
      options.onError?.(error);
      schedule();
    });
  };

  const close = async (): Promise<void> => {
    closed = true;
    await flush();
  };

  return { observe, flush, close };
}
