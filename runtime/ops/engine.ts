/**
 * The parts one ops handle works with, built once from an {@link EngineContext}: the head and
 * version collections, the cv allocator, the payload store, the commit strategy, the clock.
 * Operations (create.ts, update.ts, …) take an {@link Engine} and do one job each.
 */
import type { Db } from 'mongodb';
import type { EngineContext, WriteStep } from './context.js';
import { DEFAULT_LEASE_MS, mongoNames } from './context.js';
import { HeadStore } from './head-store.js';
import { VersionIndex } from './version-index.js';
import { CvAllocator } from './cv-allocator.js';
import { PayloadStore } from './payload-store.js';
import type { CommitStrategy } from './commit-strategy.js';
import { detectTransactions, protocolCommit, transactionCommit } from './commit-strategy.js';
import { ensureIndexesOnce } from '../mongo/ensure-indexes.js';
import { requiredIndexes } from './indexes.js';

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
  ver: VersionIndex;
  cvs: CvAllocator;
  payloads: PayloadStore;
  now(): Date;
  leaseMs: number;
  /** Runs the fault hook after a step; an error there becomes an {@link InjectedCrash}. */
  step(step: WriteStep, op: string, id: string, ov: number): Promise<void>;
  /** The commit strategy for this server (transactions detected once). */
  commit(): Promise<CommitStrategy>;
  /** Makes sure the engine's indexes exist (once per process, database and collection). */
  ready(): Promise<void>;
}

/** Builds the {@link Engine} of a context. Cheap: no I/O until the first operation. */
export function createEngine(ctx: EngineContext): Engine {
  const names = mongoNames(ctx.collection);
  const heads = new HeadStore(ctx.db, names.head);
  const ver = new VersionIndex(ctx.db, names.ver);
  const step: Engine['step'] = async (name, op, id, ov) => {
    if (!ctx.faults) return;
    try {
      await ctx.faults(name, { op, id, ov });
    } catch (e) {
      throw new InjectedCrash(name, { cause: e });
    }
  };
  const protocol = protocolCommit(ver, heads, step);
  let strategy: Promise<CommitStrategy> | undefined;
  return {
    ctx,
    heads,
    ver,
    cvs: new CvAllocator(ctx.db, names.counter, names.ver),
    payloads: new PayloadStore(ctx.store, ctx.bucket, ctx.collection, ctx.settings.base64Props, ctx.settings.compression),
    now: ctx.clock ?? (() => new Date()),
    leaseMs: ctx.leaseMs ?? DEFAULT_LEASE_MS,
    step,
    commit() {
      strategy ??= chooseStrategy(ctx).then((useTx) => (useTx ? transactionCommit(ctx.db, ver, heads) : protocol));
      return strategy;
    },
    ready() {
      return ensureIndexes(ctx.db, ctx.collection, ctx.settings.indexedProps);
    },
  };
}

async function chooseStrategy(ctx: EngineContext): Promise<boolean> {
  const { enabled, autoDetect } = ctx.settings.transactions;
  if (!enabled) return false;
  return autoDetect ? detectTransactions(ctx.db) : true;
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
