/**
 * The second half of the counters' recovery pass: committed versions that no batch counted (their
 * writer died between the commit and the batch, or they were written by a path without observers)
 * are found and fed to the recorder, which counts each exactly once through `cnt_seen`.
 *
 * A version row is committed iff `state === 'committed'` or its record's head has reached its
 * `ov` (a writer may commit by moving the head and leave the row `pending`). Rows of hard deletes
 * and reaps are not writes a counter counts. The engine's rows and heads are read through the
 * stores' named methods.
 */
import type { Db } from 'mongodb';
import type { EngineContext } from '../ops/context.js';
import { createEngine } from '../ops/engine.js';
import type { VersionKind, VersionRow } from '../ops/store/version-store.js';
import { isCommitted } from '../ops/store/version-store.js';
import type { WriteEvent, WriteKind, WriteObserver } from '../ops/write-event.js';
import { versionKey } from './counter-keys.js';
import { counterStore } from '../mongo/stores.js';
import { counterIndexesReady } from './counter-indexes.js';
import type { CounterRule } from './counter-rule.js';
import { forEachConcurrently } from '../storage/bounded-concurrency.js';

const EVENT_KIND: Partial<Record<VersionKind, WriteKind>> = { create: 'CREATE', update: 'UPDATE', enrich: 'UPDATE', restore: 'UPDATE', delete: 'DELETE' };

/** Rows whose heads are read in one query and whose payloads are read together before they are counted. */
const BATCH = 500;

/** Payload reads in flight at once when a rule needs the data. */
const PAYLOAD_READS = 16;

/** What {@link countUncountedVersions} found in one collection. */
export interface UncountedReport {
  /** Committed versions with no `cnt_seen` row, handed to the recorder. */
  versions: number;
  /** Of those, versions whose payload could not be read: counted with `data: {}` (payload-scope rules then see no fields). */
  withoutPayload: number;
}

/**
 * Finds the committed versions of `ctx`'s collection that `analyticsDb` has not counted and hands
 * each to `observe` as the event its writer would have sent, in record and version order. Rows
 * are taken a batch at a time: the heads of the batch's rows not marked committed are read in one
 * query, and, when a rule has `scope: 'payload'`, their payloads are read from storage
 * {@link PAYLOAD_READS} at a time. Scans the version rows and `cnt_seen`: reconcile only.
 */
export async function countUncountedVersions(ctx: EngineContext, analyticsDb: Db, observe: WriteObserver, rules: readonly CounterRule[]): Promise<UncountedReport> {
  const engine = createEngine(ctx);
  const { dbName, tenantId } = ctx.routeInfo;
  const scope = { dbName, collection: ctx.collection, ...(tenantId !== undefined && { tenantId }) };
  const counted = new Set<string>();
  await counterIndexesReady(analyticsDb);
  const seen = counterStore(analyticsDb).seenIdsOf(dbName, ctx.collection, tenantId ?? null);
  for await (const row of seen) counted.add(row._id);
  const needsPayload = rules.some((rule) => rule.scope === 'payload');
  const needsPrevious = rules.some((rule) => (rule.count ?? 'every') !== 'every');
  const report: UncountedReport = { versions: 0, withoutPayload: 0 };
  const countBatch = async (rows: VersionRow[]): Promise<void> => {
    const unmarked = [...new Set(rows.filter((r) => r.state !== 'committed').map((r) => r.id))];
    const heads = unmarked.length > 0 ? await engine.heads.versionsOf(unmarked) : new Map<string, number>();
    const committed = rows.filter((row) => row.state === 'committed' || isCommitted(row, { ov: heads.get(row.id) ?? -1 }));
    const data: Array<Record<string, unknown>> = committed.map(() => ({}));
    if (needsPayload) {
      await forEachConcurrently(committed, PAYLOAD_READS, async (row, i) => {
        try {
          data[i] = await engine.payloads.readData(row.id, row.ov);
        } catch {
          report.withoutPayload += 1;
        }
      });
    }
    for (const [i, row] of committed.entries()) {
      const kind = EVENT_KIND[row.kind] as WriteKind;
      // The replaced version's indexed props are on its row (by _id); read only when a rule counts transitions.
      const previousMeta = row.ov > 0 && needsPrevious ? ((await engine.ver.row(row.id, row.ov - 1))?.meta ?? null) : null;
      const event: WriteEvent = { kind, dbName, collection: ctx.collection, ...(tenantId !== undefined && { tenantId }), id: row.id, ov: row.ov, cv: row.cv, at: row.at, meta: row.meta ?? {}, data: data[i] ?? {}, previousMeta };
      await observe(event);
      report.versions += 1;
    }
  };
  let batch: VersionRow[] = [];
  for await (const row of engine.ver.all()) {
    if (!EVENT_KIND[row.kind] || counted.has(versionKey(scope, row.id, row.ov))) continue;
    batch.push(row);
    if (batch.length >= BATCH) {
      await countBatch(batch);
      batch = [];
    }
  }
  await countBatch(batch);
  return report;
}
