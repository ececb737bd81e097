/**
 * `reconcileCollection`: finds what crashed or abandoned writes left behind and repairs it, so
 * every head points at a committed version whose payload exists and parses, no pending claim of
 * a dead writer remains, and no payload exists without a version row. See `write-protocol.md`
 * for the states a crash can leave and why each repair is safe next to live writers, and its
 * "Reconcile" section for the passes and their cost: rows are read and heads looked up a batch at
 * a time, never one round trip per row, except for the claims that need settling.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { EngineContext } from './context.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- imported for the {@link} in the TSDoc below
import type { DEFAULT_GRACE_MS } from './context.js';
import { createEngine } from './engine.js';
import { firstVersionSystem, pendingRow } from './version-row.js';
import type { Engine } from './engine.js';
import { pickSystem } from './stored-state.js';
import type { VersionRow } from './store/version-store.js';
import { isCommitted, rowKey } from './store/version-store.js';
import { claimVersion } from './claim-version.js';
import { holderIsDead } from './claim-lease.js';
import { settleClaim } from './settle-claim.js';
import { retainVersions } from './retention.js';
import { serverProfile } from '../mongo/server-profile.js';

/** How many records (or rows, or payload versions) one batched query of a repair pass covers. */
const BATCH = 500;

/** Options of {@link reconcileCollection}. */
export interface ReconcileOptions {
  /**
   * Also settle pending claims older than this (ms since their claim) whose lease still runs.
   * Without it (the default) only claims of writers known dead are settled: the lease ran out,
   * the writer marked its claim abandoned, or a claim from before leases existed is older than
   * {@link DEFAULT_GRACE_MS}. Setting it can roll back a slow live writer: for tests, and for an
   * operator who knows every writer process is stopped.
   */
  graceMs?: number;
}

/** One version a repair touched. */
export interface VersionRef {
  id: string;
  ov: number;
}

/** What {@link reconcileCollection} repaired; every list is empty when there was nothing to do. */
export interface ReconcileReport {
  /** Pending versions whose payload was complete: committed and made the head. */
  rolledForward: VersionRef[];
  /** Pending versions without a complete payload of their own: their row released (what they left in storage is removed with the orphans). */
  rolledBack: VersionRef[];
  /** Hard deletes that had not finished: finished. */
  hardDeletesFinished: VersionRef[];
  /** Heads that were behind their newest version marked committed (or missing): moved to it. */
  headsAdvanced: Array<{ id: string; from: number; to: number }>;
  /** Payloads with no version row: removed. */
  orphansRemoved: VersionRef[];
  /** With versioning off: older versions a crashed write had not pruned. */
  versionsPruned: number;
  /**
   * Pending versions of a dead writer that another settler (a writer of the record, or another
   * reconcile) was settling at that moment: left to it, as it holds their settlement lock. Should
   * that settler die, its lock's lease runs out and the next run settles them.
   */
  settlementsInProgress: VersionRef[];
}

/**
 * Repairs one collection, idempotently: a second run right after the first reports nothing.
 * Safe to run while the application writes (it only settles pending versions whose writer is
 * dead, unless `graceMs` says otherwise, and removes orphan payloads only while holding their
 * version's claim).
 */
export async function reconcileCollection(ctx: EngineContext, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const engine = createEngine(ctx);
  await engine.ready();
  const report: ReconcileReport = {
    rolledForward: [],
    rolledBack: [],
    hardDeletesFinished: [],
    headsAdvanced: [],
    orphansRemoved: [],
    versionsPruned: 0,
    settlementsInProgress: [],
  };
  const pending = await engine.ver.pending();
  const deleting = new Set(pending.filter((r) => r.kind === 'hard-delete').map((r) => r.id));
  const committed = await advanceHeads(engine, deleting, report);
  await settlePending(engine, pending, options.graceMs, report);
  await removeOrphans(engine, rowsStillThere([...pending, ...committed], report), report);
  if (!ctx.settings.versioning) report.versionsPruned = (await retainVersions(engine, { maxPerItem: 1 })).versionsRemoved;
  return report;
}

/**
 * Moves every head that is behind (or missing) to its newest version marked committed (rows of
 * the old two-step commit). Returns the `(id, ov)` of every row marked committed it read, which
 * the orphan pass takes as rows that exist.
 */
async function advanceHeads(engine: Engine, deleting: Set<string>, report: ReconcileReport): Promise<VersionRef[]> {
  const newest = new Map<string, VersionRow>();
  const seenRows: VersionRef[] = [];
  for await (const row of engine.ver.markedCommitted()) {
    seenRows.push({ id: row.id, ov: row.ov });
    if (row.kind === 'hard-delete') continue;
    const seen = newest.get(row.id);
    if (!seen || seen.ov < row.ov) newest.set(row.id, row);
  }
  const ids = [...newest.keys()].filter((id) => !deleting.has(id));
  for (let i = 0; i < ids.length; i += BATCH) {
    const heads = await engine.heads.versionsOf(ids.slice(i, i + BATCH));
    for (const id of ids.slice(i, i + BATCH)) {
      const row = newest.get(id) as VersionRow;
      const from = heads.get(id) ?? -1;
      if (from >= row.ov) continue;
      if (await engine.heads.advanceTo(id, pickSystem(row), row.meta)) report.headsAdvanced.push({ id, from, to: row.ov });
    }
  }
  return seenRows;
}

/**
 * The `rowKey`s of the rows read at the start that this pass did not remove itself (rolled back,
 * or gone with a finished hard delete): what the orphan pass may take as existing without asking.
 */
function rowsStillThere(rows: readonly VersionRef[], report: ReconcileReport): Set<string> {
  const removed = new Set(report.rolledBack.map((r) => rowKey(r.id, r.ov)));
  const erased = new Set(report.hardDeletesFinished.map((r) => r.id));
  return new Set(rows.filter((r) => !erased.has(r.id)).map((r) => rowKey(r.id, r.ov)).filter((key) => !removed.has(key)));
}

/**
 * Walks the pending rows a batch at a time: the heads of a batch's records are read in one query,
 * and every row a head has reached is committed and marked so in one command (where marking pays,
 * see {@link marksRows}). Each other row is taken on its own with its head read afresh (an
 * earlier settle may have moved it): one whose writer is dead is settled (rolled forward when its
 * payload is complete and it continues the head, else rolled back; an unfinished hard delete is
 * finished); one whose writer may be alive is left alone.
 */
async function settlePending(engine: Engine, pending: VersionRow[], graceMs: number | undefined, report: ReconcileReport): Promise<void> {
  const forced = graceMs === undefined ? undefined : engine.now().getTime() - graceMs;
  const mark = await marksRows(engine);
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const heads = await engine.heads.versionsOf([...new Set(batch.map((r) => r.id))]);
    const headOf = (id: string) => {
      const ov = heads.get(id);
      return ov === undefined ? null : { ov };
    };
    if (mark) await engine.ver.markManyCommitted(batch.filter((row) => isCommitted(row, headOf(row.id))));
    for (const row of batch) {
      if (isCommitted(row, headOf(row.id))) continue;
      const head = await engine.heads.get(row.id);
      if (isCommitted(row, head)) {
        await engine.ver.markCommitted(row.id, row.ov, row.claim);
        continue;
      }
      const dead = holderIsDead(engine, row) || (forced !== undefined && row.claimedAt.getTime() <= forced);
      if (!dead) continue;
      const ref = { id: row.id, ov: row.ov };
      const outcome = await settleClaim(engine, row, head);
      if (outcome === 'rolled-forward') report.rolledForward.push(ref);
      else if (outcome === 'rolled-back') report.rolledBack.push(ref);
      else if (outcome === 'hard-delete-finished') report.hardDeletesFinished.push(ref);
      else report.settlementsInProgress.push(ref);
    }
  }
}

/**
 * Whether reconcile marks the rows a head has reached as committed. Marking is bookkeeping (a row
 * at or below its head is committed either way, `isCommitted`): it lets the `{ state, at }` index
 * leave those rows out of the next run's first query. On a server that answers every query with a
 * scan (FerretDB) the next run reads every row all the same, and an `updateMany` there costs one
 * SQLite transaction per matched row, so marking would make the first run after N writes cost N
 * transactions for nothing: the rows are left as they are.
 */
async function marksRows(engine: Engine): Promise<boolean> {
  return !(await serverProfile(engine.ctx.db)).scansQueries;
}

/**
 * Removes payloads that have no version row. The payload keys are listed once; a version among
 * `known` (rows read earlier in this pass) has a row and is skipped without a query; the rest are
 * checked against the rows as they are now, in one query per batch of records. Each orphan is
 * removed under a `reap` claim on its `(id, ov)`, so a writer that claims that version meanwhile
 * is never robbed of its payload: one of the two claims fails.
 */
async function removeOrphans(engine: Engine, known: ReadonlySet<string>, report: ReconcileReport): Promise<void> {
  const candidates = new Map<string, VersionRef[]>();
  const listed = new Set<string>();
  for (const key of await engine.payloads.listKeys(`${engine.ctx.collection}/`)) {
    const ref = engine.payloads.parseKey(key);
    if (!ref) continue;
    const name = rowKey(ref.id, ref.ov);
    if (known.has(name) || listed.has(name)) continue;
    listed.add(name);
    const refs = candidates.get(ref.id) ?? [];
    refs.push(ref);
    candidates.set(ref.id, refs);
  }
  const ids = [...candidates.keys()];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const rows = new Set((await engine.ver.versionsOf(batch)).map((r) => rowKey(r.id, r.ov)));
    for (const ref of batch.flatMap((id) => candidates.get(id) ?? [])) {
      if (rows.has(rowKey(ref.id, ref.ov))) continue;
      if (await reap(engine, ref)) report.orphansRemoved.push(ref);
    }
  }
}

async function reap(engine: Engine, ref: VersionRef): Promise<boolean> {
  const now = engine.now();
  let row: VersionRow;
  try {
    row = await claimVersion(engine, pendingRow(engine, { id: ref.id, system: { ...firstVersionSystem(now), ov: ref.ov }, at: now, kind: 'reap' }), 0);
  } catch (e) {
    // A live writer holds the version, or the record is being erased (which removes the payload itself).
    if (e instanceof ConflictError || e instanceof NotFoundError) return false;
    throw e;
  }
  await engine.payloads.deleteVersion(ref.id, ref.ov);
  await engine.ver.release(ref.id, ref.ov, row.claim);
  return true;
}
