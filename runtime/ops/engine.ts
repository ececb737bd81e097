/**
 * The parts one ops handle works with, built once from an {@link EngineContext}: the stores of
 * `store/` (heads, version rows, cv allocation, payloads), the clock, the timing policy and the
 * fault hook. Operations (create.ts, update.ts, …) take an {@link Engine} and do one job each.
 */
import type { Db } from 'mongodb';
import type { EngineContext, WriteStep } from './context.js';
import { DEFAULT_CLOCK_SKEW_MS, DEFAULT_LEASE_MS, DEFAULT_WRITE_BUDGET_MS } from './context.js';
import type { HeadStore } from './store/head-store.js';
import type { VersionStore } from './store/version-store.js';
import type { CvAllocator } from './store/cv-allocator.js';
import { PayloadStore } from './store/payload-store.js';
import type { SettlementLocks } from './store/settlement-locks.js';
import { versionedStores } from '../mongo/stores.js';
import { ensureIndexesOnce } from '../mongo/ensure-indexes.js';
import { requiredIndexes } from './indexes.js';
import { DEFAULT_RETRY_POLICY, retryTransient } from '../retry/retry.js';
import type { RetryClock } from '../retry/policy.js';
import { SYSTEM_CLOCK } from '../retry/policy.js';

/** An error thrown by the fault hook: the write stops there as if the process had died, with no cleanup. */
export class InjectedCrash extends Error {
  constructor(readonly step: WriteStep, options?: { cause?: unknown }) {
    super(`injected crash after ${step}`, options);
    this.name = 'InjectedCrash';
  }
}

/** The working parts of one ops handle. */
export interface Engine {
  ctx: EngineContext;
  heads: HeadStore;
  ver: VersionStore;
  cvs: CvAllocator;
  payloads: PayloadStore;
  locks: SettlementLocks;
  now(): Date;
  /** The engine's time for retry loops: {@link now} and {@link EngineContext.sleep}. */
  clock: RetryClock;
  /** See {@link EngineContext.leaseMs}. */
  leaseMs: number;
  /** See {@link EngineContext.clockSkewMs}. */
  clockSkewMs: number;
  /** See {@link EngineContext.writeBudgetMs}. */
  writeBudgetMs: number;
  /** Runs an idempotent step with the engine's retry policy (see `retry/retry.ts`). */
  retry<T>(what: string, step: () => Promise<T>): Promise<T>;
  /** Runs the fault hook after a step; an error there becomes an {@link InjectedCrash}. */
  step(step: WriteStep, op: string, id: string, ov: number): Promise<void>;
  /** Makes sure the engine's indexes exist (once per process, database and collection). */
  ready(): Promise<void>;
}

/** Builds the {@link Engine} of a context. Cheap: no I/O until the first operation. */
export function createEngine(ctx: EngineContext): Engine {
  const { heads, ver, cvs, locks } = versionedStores(ctx.db, ctx.collection);
  const step: Engine['step'] = async (name, op, id, ov) => {
    if (!ctx.faults) return;
    try {
      await ctx.faults(name, { op, id, ov });
    } catch (e) {
      throw new InjectedCrash(name, { cause: e });
    }
  };
  const now = ctx.clock ?? (() => new Date());
  const clock: RetryClock = { now: () => now().getTime(), sleep: ctx.sleep ?? SYSTEM_CLOCK.sleep };
  return {
    ctx,
    heads: ctx.wrapHeadStore ? ctx.wrapHeadStore(heads) : heads,
    ver,
    cvs,
    payloads: new PayloadStore(ctx.store, ctx.bucket, ctx.collection, ctx.settings.base64Props, ctx.settings.compression, ctx.keyPrefix),
    locks,
    now,
    clock,
    leaseMs: ctx.leaseMs ?? DEFAULT_LEASE_MS,
    clockSkewMs: ctx.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    writeBudgetMs: ctx.writeBudgetMs ?? DEFAULT_WRITE_BUDGET_MS,
    retry: (what, run) => retryTransient(what, run, ctx.retry ?? DEFAULT_RETRY_POLICY, clock),
    step,
    ready() {
      return ensureIndexes(ctx.db, ctx.collection, ctx.settings.indexedProps);
    },
  };
}

/**
 * Creates the indexes of {@link requiredIndexes} if missing. The engine's correctness rests on
 * the unique ones (`(id, ov)` claims, unique `cv`), so a handle never writes before they exist,
 * even when `chronos migrate` was not run (the untyped API must keep working without it).
 * Runs once per client, database and index set per process.
 */
export function ensureIndexes(db: Db, collection: string, indexedProps: readonly string[]): Promise<void> {
  const setKey = `engine\u0000${collection}\u0000${[...indexedProps].sort().join(',')}`;
  return ensureIndexesOnce(db, setKey, () => requiredIndexes(collection, { indexedProps }));
}
