/**
 * The recovery pass of counters, run by `admin.reconcile()`: finishes every batch a dead writer
 * left open (from its `cnt_seen` rows, which record what each version contributes), then clears
 * the markers and journals of finished batches. Each query here may scan; none runs on a write.
 *
 * Why finishing is exact: a batch owns exactly the `cnt_seen` and `cnt_unique` rows whose `b` is
 * its id, and a counter document already incremented by it carries `j.<writer> = <batch>` (set by
 * the same single-document update as the `$inc`). So the pass recomputes the batch's increments
 * from its own rows and applies them only where the marker is missing. It waits for the grace
 * period first, so it never races the writer, which stops working on a batch after its lease.
 */
import type { Db } from 'mongodb';
import type { CounterBatch } from './counter-batch.js';
import { fromSeenRow } from './counter-contribution.js';
import { counterJournalStore, counterStore } from '../mongo/stores.js';
import { counterIndexesReady } from './counter-indexes.js';
import { applyBatch, type CounterFaultHook } from './counter-writer.js';

/**
 * Default age of an open batch before the recovery pass finishes it (1 minute): well over the
 * writers' lease (`DEFAULT_COUNTER_LEASE_MS`, 15 s) plus one statement's worst latency.
 */
const DEFAULT_COUNTER_GRACE_MS = 60_000;

/**
 * How long a done journal is kept (1 day): a writer that resumes a batch reads its journal to learn
 * that the recovery pass finished it, so journals outlive any lease by far, whatever `graceMs` says.
 */
const DEFAULT_JOURNAL_RETENTION_MS = 24 * 60 * 60_000;

/** Options of {@link recoverCounterBatches}. */
export interface CounterRecoveryOptions {
  /** Done journals older than this (ms) are removed; default {@link DEFAULT_JOURNAL_RETENTION_MS}. */
  journalRetentionMs?: number;
  /** Open batches younger than this (ms) may still have a live writer and are left alone; default {@link DEFAULT_COUNTER_GRACE_MS}. */
  graceMs?: number;
  now?: () => Date;
  /** Internal test seam, as for the recorder. */
  faults?: CounterFaultHook;
}

/** What {@link recoverCounterBatches} did in one analytics database. */
export interface CounterRecoveryReport {
  /** Open batches of dead writers that were finished. */
  batchesFinished: string[];
  /** Markers (`j.<writer>`) of finished batches removed from counter documents. */
  markersCleared: number;
  /** Journals of finished batches removed. */
  journalsPruned: number;
}

/** Finishes open batches older than the grace period in `db`, then clears finished batches' markers and journals. Idempotent. */
export async function recoverCounterBatches(db: Db, options: CounterRecoveryOptions = {}): Promise<CounterRecoveryReport> {
  const now = options.now ?? (() => new Date());
  const before = new Date(now().getTime() - (options.graceMs ?? DEFAULT_COUNTER_GRACE_MS));
  const report: CounterRecoveryReport = { batchesFinished: [], markersCleared: 0, journalsPruned: 0 };
  await counterIndexesReady(db);
  const journals = counterJournalStore(db);
  for (const journal of await journals.openBefore(before)) {
    const rows = await counterStore(db).seenRowsOf(journal._id);
    const batch: CounterBatch = { id: journal._id, writer: journal.w, openedAt: journal.at, db, contributions: rows.map(fromSeenRow) };
    await applyBatch(batch, { resume: true, seenWritten: true, now, ...(options.faults && { faults: options.faults }) });
    report.batchesFinished.push(journal._id);
  }
  report.markersCleared = await clearFinishedMarkers(db);
  report.journalsPruned = await journals.pruneDone(new Date(now().getTime() - (options.journalRetentionMs ?? DEFAULT_JOURNAL_RETENTION_MS)));
  return report;
}

/**
 * Removes `j.<writer>` markers whose batch is no longer open, so counter documents do not keep one
 * key per writer that ever ran. The update is conditional on the marker still naming that batch: a
 * writer that meanwhile set a newer marker keeps it.
 */
async function clearFinishedMarkers(db: Db): Promise<number> {
  const totals = counterStore(db);
  const journals = counterJournalStore(db);
  const states = new Map<string, 'open' | 'done' | 'missing'>();
  let cleared = 0;
  for await (const doc of totals.withMarkers()) {
    for (const [writer, batchId] of Object.entries((doc.j ?? {}) as Record<string, string>)) {
      let state = states.get(batchId);
      if (!state) states.set(batchId, (state = await journals.state(batchId)));
      if (state === 'open') continue;
      cleared += await totals.clearMarker(doc._id, writer, batchId);
    }
  }
  return cleared;
}
