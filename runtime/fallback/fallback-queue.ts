/**
 * The durable fallback queue: writes that failed for a transient reason wait in
 * `chronos_fallback_ops` and are replayed with exponential backoff; ops that keep failing (or fail
 * for a reason no retry fixes) move to the dead-letter collection with their last error.
 *
 * Durability rests on the order of steps, not on transactions (FerretDB has none):
 * - an op leaves the queue only after its write is known to have happened (replayed, or found
 *   already applied by its opId);
 * - a move to the dead letters inserts the dead letter (same `_id`) first and deletes the op
 *   second. A crash in between leaves both; the next pass sees the dead letter and only deletes
 *   the op. An op is never lost and never replayed after it was dead-lettered.
 */
import type { Db } from 'mongodb';
import type { EngineContext } from '../ops/context.js';
import { ensureIndexesOnce } from '../mongo/ensure-indexes.js';
import { fallbackQueueStore, opLeaseStore } from '../mongo/stores.js';
import { fallbackIndexes } from './store/indexes.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { backoffDelay } from './backoff.js';
import type { OpLease, OpLeases } from './store/op-lease.js';
import { withinBudget } from '../retry/policy.js';
import { fallbackReplays } from '../retry/schedules.js';
import { ReplayBlockedError, replayWrite } from './replay.js';
import { describeError, isTransientError } from '../retry/transient.js';
import { createDrainWorker } from './drain-worker.js';
import type { DrainWorker } from './drain-worker.js';
import type { DeadLetterDoc, DrainReport, FallbackOptions, FallbackRoute, QueuedOpDoc, QueuedWrite, QueuedWriteResult } from './types.js';

/** How long one replay holds a queued op before another worker may take it over: 2 minutes, longer than a write's retry budget. */
const DEFAULT_REPLAY_LEASE_MS = 120_000;

/** Steps of the queue after which a test's fault hook may simulate a crash. */
export type QueueStep = 'replayed' | 'dead-letter-inserted';

/** How a {@link FallbackQueue} is built. */
export interface FallbackQueueConfig {
  /** The database holding `chronos_fallback_ops`, its leases and the dead letters. */
  db: Db;
  /** The parsed `fallback` section of the configuration. */
  options: FallbackOptions;
  /** Turns a stored route back into the engine context to replay against (`chronos.with` does this). */
  resolve: (route: FallbackRoute) => EngineContext | Promise<EngineContext>;
  /** Time source; tests pin it to step through backoff without sleeping. Default `() => new Date()`. */
  clock?: () => Date;
  /** Jitter source in `[0, 1)`; default `Math.random`. */
  random?: () => number;
  /**
   * How long a worker's claim on an op lasts (ms); default twice the engine's write lease (2 min).
   * A replay is one compare-and-set write, which the engine abandons after its own lease, so a
   * live replay never outlives this; and if one did, compare-and-set still stops a second version.
   */
  leaseMs?: number;
  /** Ops looked at per drain pass; default 100. */
  batchSize?: number;
  /** Pause between worker passes (ms); default `min(retryDelayMs, 1000)`. */
  pollIntervalMs?: number;
  /** Called after every worker pass (not after direct `drain()` calls). */
  onPass?: (report: DrainReport) => void;
  /** Called when a worker pass fails as a whole (e.g. the queue's database is unreachable); the worker keeps going. */
  onError?: (error: unknown) => void;
  /** Internal test seam: an error thrown here acts as a crash after that step (no cleanup runs). */
  faults?: (step: QueueStep, opId: string) => void | Promise<void>;
}

/** The queue API (`chronos.fallback`). */
export interface FallbackQueue {
  /** The options it runs with; with `enabled: false`, {@link withFallback} queues nothing. */
  readonly options: FallbackOptions;
  /** Stores a failed write for replay. Idempotent per `opId`. */
  enqueue(opId: string, write: QueuedWrite, route: FallbackRoute, error: unknown): Promise<QueuedWriteResult>;
  /** One pass: replays every due op once (or dead-letters it), and reports what happened to each. */
  drain(): Promise<DrainReport>;
  /** Starts the background worker: passes one after another, never overlapping. Idempotent. */
  start(): void;
  /** Stops the worker and waits for the pass in flight to finish. */
  stop(): Promise<void>;
  /** Ops waiting for replay, oldest due first. */
  pending(): Promise<QueuedOpDoc[]>;
  /** Dead letters, oldest first. */
  deadLetters(): Promise<DeadLetterDoc[]>;
}

/** Thrown by the fault hook: stops the pass like a dead process. */
class QueueCrash extends Error {
  constructor(readonly step: QueueStep, options?: { cause?: unknown }) {
    super(`injected crash after ${step}`, options);
    this.name = 'QueueCrash';
  }
}

/**
 * Builds the queue over `config.db`. Cheap: the first call creates the indexes.
 *
 * @example
 * ```ts
 * const queue = createFallbackQueue({ db, options: config.fallback, resolve: (route) => contextFor(route) });
 * queue.start();
 * const orders = withFallback(ops, queue, { collection: 'orders', databaseType: 'runtime', tier: 'tenant', tenantId: 'acme' });
 * const res = await orders.create({ total: 5 });
 * if (res.queued) console.log(`queued as ${res.opId}; the record will be ${res.id}`);
 * ```
 */
export function createFallbackQueue(config: FallbackQueueConfig): FallbackQueue {
  const { db, options } = config;
  const now = config.clock ?? (() => new Date());
  const random = config.random ?? Math.random;
  const replays = fallbackReplays(options);
  const queue = fallbackQueueStore(db, options.deadLetterCollection);
  const leases = opLeaseStore(db, config.leaseMs ?? DEFAULT_REPLAY_LEASE_MS, now);
  const batchSize = config.batchSize ?? 100;

  const ready = () => ensureIndexesOnce(db, `fallback\u0000${options.deadLetterCollection}`, () => fallbackIndexes(options.deadLetterCollection));

  async function step(name: QueueStep, opId: string): Promise<void> {
    if (!config.faults) return;
    try {
      await config.faults(name, opId);
    } catch (e) {
      throw new QueueCrash(name, { cause: e });
    }
  }

  async function removeOp(opId: string): Promise<void> {
    await queue.removeOp(opId);
    await leases.clear(opId);
  }

  async function moveToDead(op: QueuedOpDoc, cause: DeadLetterDoc['cause'], report: DrainReport): Promise<void> {
    try {
      await queue.insertDeadLetter({ ...op, deadAt: now(), cause });
    } catch (e) {
      // Already there: an earlier move crashed before deleting the op.
      if (!isDuplicateKeyError(e)) throw e;
    }
    await step('dead-letter-inserted', op._id);
    await removeOp(op._id);
    report.deadLettered.push({ opId: op._id, cause, error: op.lastError });
  }

  async function settleFailure(op: QueuedOpDoc, error: unknown, report: DrainReport): Promise<void> {
    const lastError = describeError(error, now());
    const attempts = op.attempts + 1;
    if (!isTransientError(error) && !(error instanceof ReplayBlockedError)) {
      await moveToDead({ ...op, attempts, lastError }, 'permanent', report);
    } else if (!withinBudget(replays.budget, attempts)) {
      await moveToDead({ ...op, attempts, lastError }, 'exhausted', report);
    } else {
      const nextAttemptAt = new Date(now().getTime() + backoffDelay(attempts, options, random));
      await queue.reschedule(op._id, { attempts, nextAttemptAt, lastError });
      report.retrying.push({ opId: op._id, attempts, nextAttemptAt, error: lastError });
    }
  }

  /** Replays one op under its lease. */
  async function processOp(opId: string, report: DrainReport): Promise<void> {
    const lease = await leases.acquire(opId);
    if (!lease) {
      report.skipped.push(opId);
      return;
    }
    let crashed = false;
    try {
      await processLeased(opId, report);
    } catch (e) {
      crashed = e instanceof QueueCrash;
      throw e;
    } finally {
      if (!crashed) await releaseQuietly(leases, lease);
    }
  }

  async function processLeased(opId: string, report: DrainReport): Promise<void> {
    // Re-read under the lease: another worker may have replayed, rescheduled or removed it.
    const op = await queue.op(opId);
    if (!op || op.nextAttemptAt.getTime() > now().getTime()) return;
    if (await queue.isDeadLettered(opId)) {
      await removeOp(opId);
      return;
    }
    if (!withinBudget(replays.budget, op.attempts)) {
      await moveToDead(op, 'exhausted', report);
      return;
    }
    let outcome;
    try {
      const write = JSON.parse(op.write) as QueuedWrite;
      outcome = await replayWrite(await config.resolve(op.route), opId, write);
    } catch (e) {
      await settleFailure(op, e, report);
      return;
    }
    await step('replayed', opId);
    await removeOp(opId);
    report.done.push({ opId, outcome });
  }

  async function drain(): Promise<DrainReport> {
    await ready();
    const report: DrainReport = { done: [], retrying: [], deadLettered: [], skipped: [] };
    const due = await queue.due(now(), batchSize);
    // One op at a time: replays of one outage hit the recovering backend gently, and a pass stays short.
    for (const { _id } of due) await processOp(_id, report);
    return report;
  }

  const worker: DrainWorker = createDrainWorker({
    drain,
    intervalMs: config.pollIntervalMs ?? Math.min(options.retryDelayMs, 1000),
    ...(config.onPass ? { onPass: config.onPass } : {}),
    ...(config.onError ? { onError: config.onError } : {}),
  });

  return {
    options,
    async enqueue(opId, write, route, error) {
      await ready();
      const at = now();
      const lastError = describeError(error, at);
      const doc: QueuedOpDoc = {
        _id: opId,
        kind: write.kind,
        recordId: write.id,
        route,
        write: JSON.stringify(write),
        attempts: 0,
        enqueuedAt: at,
        nextAttemptAt: new Date(at.getTime() + backoffDelay(0, options, random)),
        lastError,
      };
      try {
        await queue.insertOp(doc);
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
      }
      return { queued: true, opId, kind: write.kind, id: write.id, error: lastError };
    },
    drain,
    start: () => worker.start(),
    stop: () => worker.stop(),
    pending: () => queue.pending(),
    deadLetters: () => queue.deadLetters(),
  };
}

async function releaseQuietly(leases: OpLeases, lease: OpLease): Promise<void> {
  try {
    await leases.release(lease);
  } catch {
    // The lease expires on its own; the op only waits longer.
  }
}
