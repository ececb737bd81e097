/**
 * `applyVersionRetention`: removes old versions on request (never on the hot path of a write),
 * as `retention.ver` in the config describes. The head's version is always kept.
 */
import { ValidationError } from '../errors.js';
import type { EngineContext } from './context.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine.js';
import type { VersionRow } from './store/version-store.js';

/** Which versions to keep. */
export interface RetentionPolicy {
  /** Keep at most this many newest versions per record (at least 1). */
  maxPerItem?: number;
  /** Remove versions older than this many days. */
  days?: number;
}

/** What {@link applyVersionRetention} removed. */
export interface RetentionReport {
  /** Versions whose row and payload were removed. */
  versionsRemoved: number;
  /** Records that lost at least one version. */
  recordsTouched: number;
}

function checkPolicy(policy: RetentionPolicy): RetentionPolicy {
  const { maxPerItem, days } = policy;
  if (maxPerItem !== undefined && (!Number.isSafeInteger(maxPerItem) || maxPerItem < 1)) {
    throw ValidationError.at(['maxPerItem'], 'expected a whole number of versions, at least 1');
  }
  if (days !== undefined && (typeof days !== 'number' || !Number.isFinite(days) || days < 0)) {
    throw ValidationError.at(['days'], 'expected a non-negative number of days');
  }
  return policy;
}

/**
 * Removes versions beyond `maxPerItem` per record and versions older than `days`, except each
 * record's head version. Row first, then payload: a crash in between leaves an orphan payload
 * (removed by reconcile), never a visible version without its payload. Idempotent.
 */
export async function applyVersionRetention(ctx: EngineContext, policy: RetentionPolicy): Promise<RetentionReport> {
  return retainVersions(createEngine(ctx), checkPolicy(policy));
}

/** {@link applyVersionRetention} on an existing engine (the reconciler uses it with `maxPerItem: 1` when versioning is off). */
export async function retainVersions(engine: Engine, policy: RetentionPolicy): Promise<RetentionReport> {
  const report: RetentionReport = { versionsRemoved: 0, recordsTouched: 0 };
  if (policy.maxPerItem === undefined && policy.days === undefined) return report;
  const cutoff = policy.days === undefined ? undefined : new Date(engine.now().getTime() - policy.days * 86_400_000);
  let current: VersionRow[] = [];
  const flush = async (): Promise<void> => {
    if (current.length === 0) return;
    const removed = await trimRecord(engine, current, policy.maxPerItem, cutoff);
    report.versionsRemoved += removed;
    if (removed > 0) report.recordsTouched += 1;
    current = [];
  };
  for await (const row of engine.ver.all()) {
    if (current.length > 0 && current[0]?.id !== row.id) await flush();
    // Pending rows above the head are claims in flight; trimRecord only looks below the head.
    if (row.kind !== 'hard-delete' && row.kind !== 'reap') current.push(row);
  }
  await flush();
  return report;
}

async function trimRecord(engine: Engine, rows: VersionRow[], maxPerItem: number | undefined, cutoff: Date | undefined): Promise<number> {
  const id = rows[0]?.id as string;
  const head = await engine.heads.get(id);
  // No head: a create whose head move crashed, or a hard delete in progress; reconcile decides.
  if (!head) return 0;
  const newestFirst = [...rows].reverse();
  let removed = 0;
  const committed = newestFirst.filter((row) => row.ov <= head.ov);
  for (const [rank, row] of committed.entries()) {
    if (row.ov >= head.ov) continue; // the head and anything above it (claims in flight) stay
    const tooMany = maxPerItem !== undefined && rank >= maxPerItem;
    const tooOld = cutoff !== undefined && row.at < cutoff;
    if (!tooMany && !tooOld) continue;
    if (await engine.ver.removeVersion(id, row.ov)) removed += 1;
    await engine.payloads.deleteVersion(id, row.ov);
  }
  return removed;
}
