/**
 * The factory behind `chronos.with({...})`: binds the operations of this folder to one
 * {@link EngineContext} (one database, one bucket, one collection).
 */
import type { EngineContext } from './context.js';
import { createEngine } from './engine.js';
import type { CreateResult, RestoreObjectTarget, VersionedOps } from './types.js';
import { createRecord } from './create.js';
import { updateRecord } from './update.js';
import { deleteRecord } from './delete.js';
import { enrichRecord } from './enrich.js';
import { getAsOf, getLatest, getVersion, history } from './read.js';
import { listByMeta } from './list-by-meta.js';
import { restoreObject } from './restore-object.js';
import type { RestoreObjectOptions } from './restore-object.js';
import { restoreCollection } from './restore-collection.js';
import { createManyRecords } from './create-many.js';
import { InjectedCrash } from './engine.js';
import { withChronosErrors } from '../error-boundary.js';

/**
 * Makes every operation reject only with Chronos errors: a driver, BSON or SDK error that got
 * this far is wrapped (kept as `cause`). Test crashes ({@link InjectedCrash}) pass as they are.
 */
function guarded<O extends object>(ops: O, collection: string): O {
  return withChronosErrors(ops, { name: (method) => `${method} in ${collection}`, passes: (e) => e instanceof InjectedCrash });
}

/** {@link VersionedOps} plus the options this engine adds to the chronos-db API's signatures. */
export interface EngineCollectionOps<T extends object = Record<string, unknown>> extends VersionedOps<T> {
  /** As {@link CollectionOps.restoreObject}, with an optional compare-and-set on the current version. */
  restoreObject(id: string, target: RestoreObjectTarget, actor?: string, reason?: string, options?: RestoreObjectOptions): ReturnType<VersionedOps<T>['restoreObject']>;
  /** Many creates in batches of `batchSize` records (see `create-many.ts`); rejects with a `CreateManyError` listing every record's outcome when any failed. */
  createMany(records: readonly T[], actor?: string, reason?: string, batchSize?: number): Promise<CreateResult[]>;
}

/**
 * Creates the operations of one collection in one routed database. Cheap and synchronous: the
 * first write checks the indexes exist and detects transaction support, once per process.
 *
 * @example
 * ```ts
 * const ops = createCollectionOps({ db, store, bucket: 'acme', collection: 'orders',
 *   routeInfo: { dbName: 'acme_runtime', tenantId: 'acme', databaseType: 'runtime', tier: 'tenant' },
 *   settings: resolveCollectionSettings({ indexedProps: ['status'] }), observers: [] });
 * const { id, ov } = await ops.create({ status: 'new' }, 'api', 'signup');
 * await ops.update(id, { status: 'paid' }, ov);
 * ```
 */
export function createCollectionOps<T extends object = Record<string, unknown>>(ctx: EngineContext): EngineCollectionOps<T> {
  const engine = createEngine(ctx);
  const ops: EngineCollectionOps = {
    create: (data, actor, reason, options) => createRecord(engine, data, actor, reason, options),
    update: (id, data, expectedOv, actor, reason, options) => updateRecord(engine, id, data, expectedOv, actor, reason, options),
    delete: (id, expectedOv, actor, reason, options) => deleteRecord(engine, id, expectedOv, actor, reason, options),
    enrich: (id, patch, options) => enrichRecord(engine, id, patch, options),
    getLatest: (id, options) => getLatest(engine, id, options),
    getVersion: (id, ov, options) => getVersion(engine, id, ov, options),
    getAsOf: (id, at, options) => getAsOf(engine, id, at, options),
    listByMeta: (query, options) => listByMeta(engine, query, options),
    history: (id) => history(engine, id),
    restoreObject: (id, target, actor, reason, options) => restoreObject(engine, id, target, actor, reason, options),
    restoreCollection: (target, actor, reason) => restoreCollection(engine, target, actor, reason),
    createMany: (records, actor, reason, batchSize) => createManyRecords(engine, records, actor, reason, batchSize),
  };
  return guarded(ops, ctx.collection) as unknown as EngineCollectionOps<T>;
}
