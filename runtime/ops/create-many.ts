/**
 * `createMany`: many creates by the same protocol as one (`write-protocol.md`), batched. Every
 * record is validated first; then, per batch of `writeOptimization.createManyBatchSize` records (default
 * {@link DEFAULT_CREATE_MANY_BATCH}): one unordered `insertMany` of the pending rows (the
 * claims), the payload PUTs {@link PUT_CONCURRENCY} at a time, and one unordered `insertMany` of
 * the heads (the commit; fresh ids have no head yet, so an insert is the cheapest head write).
 * A batch is three round trips to MongoDB whatever its size, instead of three per record (its
 * cvs come from one reservation too), and two batches run at once so the storage stays busy
 * while a batch waits on MongoDB.
 *
 * Per record, the outcome is that of a single create: a record whose claim or payload failed
 * left nothing visible (its claim was rolled back, or marked abandoned for the next writer or
 * reconcile); a record whose head insert could not be confirmed is rolled forward later. When
 * any record failed, the call rejects with a {@link CreateManyError} that lists every record's
 * outcome, so the caller knows exactly which ids exist.
 */
import { ChronosError, WriteOutcomeUnknownError } from '../errors.js';
import type { Engine } from './engine.js';
import { firstVersionSystem, pendingRow } from './version-row.js';
import { InjectedCrash } from './engine.js';
import type { CreateResult } from './types.js';
import { checkData, checkNote, newId } from './input-validation.js';
import { definedNotes } from './create.js';
import { extractMeta } from './meta.js';
import { pickSystem, toSystemFields } from './stored-state.js';
import type { VersionRow } from './store/version-store.js';
import { holdLease } from './claim-lease.js';
import { notifyObservers } from './notify.js';
import { asChronosError } from '../error-boundary.js';
import { toStorageError } from '../storage/storage-errors.js';
import { giveUp, writeVersion } from './write-version.js';
import { createLimiter, forEachConcurrently, type Limiter } from '../storage/bounded-concurrency.js';

/** Records per batch when `writeOptimization.createManyBatchSize` is not set. */
export const DEFAULT_CREATE_MANY_BATCH = 100;

/** Payload uploads in flight at once, over all the batches of one call. */
export const PUT_CONCURRENCY = 32;

/** Batches of one createMany call in progress at once (see inOverlappingBatches). */
const BATCHES_IN_FLIGHT = 2;

/** One record's outcome in a {@link CreateManyError}. */
export type CreateManyOutcome = { ok: true; result: CreateResult } | { ok: false; error: ChronosError };

/**
 * Some records of a `createMany` were not created. `outcomes[i]` is record `i`'s: its
 * {@link CreateResult}, or the error that stopped it (nothing of it is visible then, except an
 * `OUTCOME_UNKNOWN` error, which says how to check).
 */
export class CreateManyError extends ChronosError {
  /** Every record's outcome, in input order. */
  readonly outcomes: readonly CreateManyOutcome[];

  constructor(outcomes: readonly CreateManyOutcome[]) {
    const failed = outcomes.filter((o) => !o.ok) as Array<{ ok: false; error: ChronosError }>;
    super(
      `createMany: ${failed.length} of ${outcomes.length} records were not created (first: ${failed[0]?.error.message ?? 'none'}); see outcomes`,
      failed[0]?.error.code ?? 'CHRONOS_ERROR',
      { cause: failed[0]?.error },
    );
    this.outcomes = outcomes;
  }
}

/**
 * Creates `records`, results in input order. One invalid record is a ValidationError (path
 * `records[i]...`) and nothing is written.
 *
 * @param batchSize records per batch (`writeOptimization.createManyBatchSize`).
 */
export async function createManyRecords(
  engine: Engine,
  records: readonly unknown[],
  actor?: string,
  reason?: string,
  batchSize = DEFAULT_CREATE_MANY_BATCH,
): Promise<CreateResult[]> {
  const clean = records.map((record, i) => checkData(record, engine.ctx.settings, `records[${i}]`));
  const notes = definedNotes({ actor: checkNote(actor, 'actor'), reason: checkNote(reason, 'reason') });
  await engine.retry(`creating the indexes of ${engine.ctx.collection}`, () => engine.ready());
  const size = Math.max(1, Math.min(batchSize, 1000));
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < clean.length; start += size) batches.push(clean.slice(start, start + size));
  // Batches overlap (one uploads while another waits on MongoDB) and share one upload limit.
  const results = new Array<CreateManyOutcome[]>(batches.length);
  const uploads = createLimiter(PUT_CONCURRENCY);
  await forEachConcurrently(batches, BATCHES_IN_FLIGHT, async (batch, index) => {
    results[index] = await createBatch(engine, batch, notes, uploads);
  });
  const outcomes = results.flat();
  if (outcomes.some((o) => !o.ok)) throw new CreateManyError(outcomes);
  return outcomes.map((o) => (o as { ok: true; result: CreateResult }).result);
}

async function createBatch(
  engine: Engine,
  data: Record<string, unknown>[],
  notes: { actor?: string; reason?: string },
  uploads: Limiter,
): Promise<CreateManyOutcome[]> {
  const cvs = await engine.retry(`drawing ${data.length} cvs for ${engine.ctx.collection}`, () => engine.cvs.drawMany(data.length));
  const rows = data.map((doc, i) => newRow(engine, doc, cvs[i] as number, notes));
  const outcomes = new Array<CreateManyOutcome | undefined>(rows.length);
  const duplicates = await engine.retry(`claiming ${rows.length} new records in ${engine.ctx.collection}`, () => engine.ver.claimMany(rows));
  const leases = rows.map((row, i) => (duplicates.has(i) ? undefined : holdLease(engine, row)));
  try {
    for (const i of duplicates) {
      // Only a cv can collide for a fresh id (a counter behind after a non-atomic `$inc`): write it alone, which re-syncs.
      outcomes[i] = await single(engine, data[i] as Record<string, unknown>, notes);
    }
    const written = await putAll(engine, rows, data, outcomes, uploads);
    await commitHeads(engine, rows, data, written, outcomes);
  } finally {
    for (const lease of leases) lease?.stop();
  }
  return outcomes as CreateManyOutcome[];
}

function newRow(engine: Engine, doc: Record<string, unknown>, cv: number, notes: { actor?: string; reason?: string }): VersionRow {
  const at = engine.now();
  const { revision } = engine.ctx.settings;
  return pendingRow(engine, {
    id: newId(),
    system: { ...firstVersionSystem(at), cv, ...(revision !== undefined && { revision }) },
    at,
    kind: 'create',
    meta: extractMeta(doc, engine.ctx.settings),
    leased: true,
    ...notes,
  });
}

/** Uploads the payloads of every claimed record, {@link PUT_CONCURRENCY} at a time; returns the indexes whose payload is complete. */
async function putAll(
  engine: Engine,
  rows: VersionRow[],
  data: Record<string, unknown>[],
  outcomes: Array<CreateManyOutcome | undefined>,
  uploads: Limiter,
): Promise<number[]> {
  const todo = rows.map((_, i) => i).filter((i) => outcomes[i] === undefined);
  const done: number[] = [];
  await Promise.all(
    todo.map((i) =>
      uploads(async () => {
        const row = rows[i] as VersionRow;
        try {
          await engine.retry(`writing the payload of ${engine.ctx.collection}/${row.id} v0`, () =>
            engine.payloads.write(row.id, toSystemFields(pickSystem(row)), data[i] as Record<string, unknown>, row.claim).catch((e: unknown) => {
              throw toStorageError(e, `writing the payload of ${row.id} v0`);
            }),
          );
          done.push(i);
        } catch (e) {
          outcomes[i] = { ok: false, error: await giveUp(engine, row, e) };
        }
      }),
    ),
  );
  return done.sort((a, b) => a - b);
}

async function commitHeads(engine: Engine, rows: VersionRow[], data: Record<string, unknown>[], written: number[], outcomes: Array<CreateManyOutcome | undefined>): Promise<void> {
  if (written.length === 0) return;
  try {
    await engine.retry(`committing ${written.length} new records in ${engine.ctx.collection}`, () =>
      engine.heads.insertMany(written.map((i) => ({ id: (rows[i] as VersionRow).id, state: pickSystem(rows[i] as VersionRow), meta: (rows[i] as VersionRow).meta }))),
    );
  } catch (e) {
    const error = asChronosError(e, `committing new records in ${engine.ctx.collection}`);
    for (const i of written) outcomes[i] = { ok: false, error: unknownOutcome(rows[i] as VersionRow, error) };
    return;
  }
  for (const i of written) {
    const row = rows[i] as VersionRow;
    outcomes[i] = { ok: true, result: { id: row.id, ov: 0, cv: row.cv, createdAt: row.at.toISOString() } };
    await notifyObservers(engine, { kind: 'CREATE', id: row.id, ov: 0, cv: row.cv, at: row.at, meta: row.meta, data: data[i] as Record<string, unknown>, previousMeta: null });
  }
}

async function single(engine: Engine, doc: Record<string, unknown>, notes: { actor?: string; reason?: string }): Promise<CreateManyOutcome> {
  try {
    const w = await writeVersion(engine, {
      kind: 'create',
      id: newId(),
      head: null,
      data: doc,
      system: (at) => ({ insertedAt: at, deletedAt: null, deleted: false, functionIds: [] }),
      ...notes,
    });
    return { ok: true, result: { id: w.id, ov: 0, cv: w.cv, createdAt: w.at.toISOString() } };
  } catch (e) {
    if (e instanceof InjectedCrash) throw e;
    return { ok: false, error: asChronosError(e, 'createMany') };
  }
}

function unknownOutcome(row: VersionRow, error: ChronosError): ChronosError {
  if (error.code === 'OUTCOME_UNKNOWN') return error;
  return new WriteOutcomeUnknownError(
    `the payload of ${row.id} v0 is written but its head could not be confirmed (${error.message}); it becomes visible when reconcile rolls it forward: check getLatest(${row.id})`,
    { id: row.id, ov: 0, opId: row.opId as string, cause: error },
  );
}
