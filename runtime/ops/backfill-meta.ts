/**
 * The meta backfill `chronos migrate` runs when a declaration changed in a way the heads do not
 * reflect: its indexed props changed, or records were written under an older revision (a
 * renamed or retyped indexed prop sits in their heads under its old name or type, so filters on
 * it miss them). Every head in scope gets its indexed props recomputed from its latest version
 * brought to the current declaration (`current-data.ts`); versions are never rewritten.
 *
 * Progress is kept per collection in `chronos_meta_backfills` of the same database: the
 * revision and indexed props it brings the heads to, and the last head done. A run that died
 * resumes after that head; a finished one is not repeated; rewriting a head that already has
 * the right meta is skipped, so a repeated batch does no harm. The heads in scope are read through
 * one cursor in id order, a batch at a time; a batch's payloads are read a bounded number at a
 * time (while the batch before it is written), then each changed head is replaced.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Filter } from 'mongodb';
import type { EngineContext } from './context.js';
import { createEngine, type Engine } from './engine.js';
import type { HeadDoc } from './store/head-store.js';
import { extractMeta } from './meta.js';
import { readCurrentData } from './current-data.js';
import { forEachConcurrently } from '../storage/bounded-concurrency.js';
import { backfillMarkerStore } from '../mongo/stores.js';
import type { BackfillMarker, BackfillScope } from './store/backfill-marker-store.js';

export type { BackfillScope } from './store/backfill-marker-store.js';

/** A backfill one collection needs. */
export interface MetaBackfillPlan {
  collection: string;
  dbName: string;
  scope: BackfillScope;
  /** Why it is needed, in words. */
  reason: string;
  /** Heads it will examine (after the resume point, if any). */
  heads: number;
  /** Set when an earlier run stopped part-way: this run continues after that head. */
  resumeAfter?: string;
  revision: number;
  indexedProps: string[];
}

/** What a backfill did. */
export interface MetaBackfillReport {
  examined: number;
  updated: number;
  /** Heads that moved on while the backfill ran (their writer wrote current meta). */
  movedOn: number;
  /** Records whose latest version cannot be brought to the current declaration (an UpcastError each). */
  failed: Array<{ id: string; message: string }>;
}

function scopeFilter(scope: BackfillScope, revision: number): Filter<HeadDoc> {
  // Heads written before revisions were recorded have none, and `$ne` matches them too.
  return scope === 'all' ? {} : { revision: { $ne: revision } };
}

/** The backfill `ctx`'s collection needs, or null when its heads already match its declaration. */
export async function planMetaBackfill(ctx: EngineContext): Promise<MetaBackfillPlan | null> {
  const revision = ctx.settings.revision;
  if (revision === undefined) return null;
  const indexedProps = [...ctx.settings.indexedProps].sort();
  const marker = await backfillMarkerStore(ctx.db).get(ctx.collection);
  const sameProps = marker !== null && isDeepStrictEqual(marker.indexedProps, indexedProps);
  if (marker?.complete && sameProps && marker.revision === revision) return null;
  const resuming = marker !== null && !marker.complete && sameProps && marker.revision === revision;
  let scope: BackfillScope;
  let reason: string;
  if (resuming) {
    scope = marker.scope;
    reason = `resuming an unfinished backfill to revision ${revision}`;
  } else if (marker === null) {
    scope = revision === 1 ? 'older-revisions' : 'all';
    reason = revision === 1 ? 'first backfill record of this collection' : `no backfill recorded yet, declaration at revision ${revision}`;
  } else if (!sameProps) {
    scope = 'all';
    reason = `indexed props changed from [${marker.indexedProps.join(', ')}] to [${indexedProps.join(', ')}]`;
  } else {
    scope = 'older-revisions';
    reason = `declaration revision ${marker.revision} -> ${revision}`;
  }
  const after = resuming ? marker.after : undefined;
  const filter: Filter<HeadDoc> = after === undefined ? scopeFilter(scope, revision) : { $and: [scopeFilter(scope, revision), { _id: { $gt: after } }] };
  const heads = await createEngine(ctx).heads.count(filter);
  return { collection: ctx.collection, dbName: ctx.routeInfo.dbName, scope, reason, heads, revision, indexedProps, ...(after !== undefined && { resumeAfter: after }) };
}

/** Payload reads of one batch in flight at once: each is one object-store GET. */
const BACKFILL_READ_CONCURRENCY = 32;

/** What the latest version of one head of a batch gives: new meta, a failure, or nothing to do (null). */
type HeadOutcome = { meta: Record<string, unknown> } | { error: unknown } | null;

/** The meta of each head of a batch recomputed from its latest version, {@link BACKFILL_READ_CONCURRENCY} reads at a time. */
async function recomputeMeta(engine: Engine, batch: readonly HeadDoc[]): Promise<HeadOutcome[]> {
  const outcomes: HeadOutcome[] = new Array(batch.length).fill(null);
  await forEachConcurrently(batch, BACKFILL_READ_CONCURRENCY, async (head, i) => {
    try {
      const meta = extractMeta(await readCurrentData(engine, head._id, head), engine.ctx.settings);
      outcomes[i] = isDeepStrictEqual(meta, head.meta) ? null : { meta };
    } catch (error) {
      outcomes[i] = { error };
    }
  });
  return outcomes;
}

/** Replaces every head of a batch whose meta differs, each only while still at the version read. */
async function applyMeta(engine: Engine, batch: readonly HeadDoc[], outcomes: readonly HeadOutcome[], report: MetaBackfillReport): Promise<void> {
  const changes: Array<{ head: HeadDoc; meta: Record<string, unknown> }> = [];
  batch.forEach((head, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    if ('error' in outcome) report.failed.push({ id: head._id, message: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) });
    else changes.push({ head, meta: outcome.meta });
  });
  report.examined += batch.length;
  const replaced = await engine.heads.replaceMetaMany(changes);
  report.updated += replaced;
  report.movedOn += changes.length - replaced;
}

/**
 * Runs a planned backfill in batches of `batchSize` heads (by id), recording progress after
 * each. With failures the collection is left unfinished from the start, so a run after the
 * upcasters are fixed examines every head in scope again.
 */
export async function runMetaBackfill(
  ctx: EngineContext,
  plan: MetaBackfillPlan,
  options: { batchSize?: number; onProgress?: (message: string) => void } = {},
): Promise<MetaBackfillReport> {
  const engine = createEngine(ctx);
  const batchSize = options.batchSize ?? 100;
  const report: MetaBackfillReport = { examined: 0, updated: 0, movedOn: 0, failed: [] };
  const { revision, indexedProps, scope } = plan;
  const markers = backfillMarkerStore(ctx.db);
  const save = (fields: Partial<BackfillMarker>) =>
    markers.save(ctx.collection, { revision, indexedProps, scope, complete: false, updatedAt: engine.now(), ...fields });
  let after = plan.resumeAfter;
  await save(after === undefined ? {} : { after });
  const parts: Filter<HeadDoc>[] = [scopeFilter(scope, revision)];
  if (after !== undefined) parts.push({ _id: { $gt: after } });
  // The payloads of a batch are read while the heads of the batch before it are replaced: the
  // reads go to the object store, the replaces to MongoDB.
  let previous: { batch: HeadDoc[]; outcomes: Promise<HeadOutcome[]> } | undefined;
  const finish = async ({ batch, outcomes }: NonNullable<typeof previous>) => {
    await applyMeta(engine, batch, await outcomes, report);
    after = batch[batch.length - 1]?._id;
    await save(after === undefined ? {} : { after });
    options.onProgress?.(`  backfill ${ctx.collection}: ${report.examined}/${plan.heads} heads examined, ${report.updated} updated`);
  };
  for await (const batch of engine.heads.batchesById({ $and: parts }, batchSize)) {
    const next = { batch, outcomes: recomputeMeta(engine, batch) };
    if (previous) await finish(previous);
    previous = next;
  }
  if (previous) await finish(previous);
  await save(report.failed.length === 0 ? { complete: true } : {});
  return report;
}
