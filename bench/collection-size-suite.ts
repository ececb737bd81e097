/**
 * Write cost against collection size (target: a create into 10,000 records within 1.3x
 * of one into an empty collection, and no query of the write path costing more as the collection
 * grows). One collection is filled with `createMany` up to `options.collectionRecords` (or as far
 * as `options.buildSeconds` allows), then creates into it alternate call by call with creates
 * into a collection that starts empty (it holds only the few records the timed calls add). Then
 * updates alternate the same way: of records spread over the whole full collection (so a server
 * that scanned for the head would show it), and of the records the timed creates added to the
 * small one.
 */
import type { BenchOptions } from './bench-config.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measureInterleaved } from './stats.js';
import { checkCreated, checkReadBack } from './engine-checks.js';
import { checkInterrupted } from './interrupt.js';
import type { CreateResult } from '../runtime/ops/types.js';
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';

/** Create and update medians in an empty (small) and a full collection. */
export interface CollectionSizeRow {
  /** Records asked for in the full collection. */
  target: number;
  /** Records it held when timing began. */
  records: number;
  fillSeconds: number;
  empty: Measurement;
  full: Measurement;
  /** Updates of the records the timed creates added to the empty collection. */
  updateSmall: Measurement;
  /** Updates of records spread over the full collection. */
  updateFull: Measurement;
}

const SETTINGS = { indexedProps: ['status'] };
const CHUNK = 100;
const WARMUP = 5;

/** Fills one collection, then times `options.growthOps` creates into it against as many into an empty one. */
export async function runCollectionSizeSuite(fx: BenchFixture, storage: BenchStorage, options: BenchOptions, log: (line: string) => void): Promise<CollectionSizeRow> {
  const db = fx.database('chronos_bench_size');
  const full = fx.ops(db, storage, 'full', SETTINGS);
  const empty = fx.ops(db, storage, 'empty', SETTINGS);
  const target = options.collectionRecords;
  const t0 = performance.now();
  const deadline = t0 + options.buildSeconds * 1000;
  let records = 0;
  const filled: CreateResult[] = [];
  while (records < target) {
    checkInterrupted();
    if (performance.now() > deadline) {
      log(`  collection size: build time (${options.buildSeconds} s) used up at ${records} records of ${target}`);
      break;
    }
    const ns = Array.from({ length: Math.min(CHUNK, target - records) }, (_, i) => records + i);
    const results = await full.createMany(ns.map((n) => benchDocument(n)));
    checkCreated(results, ns.length, 'createMany (filling)');
    await checkReadBack(full, results, ns, 'createMany (filling)', 3);
    filled.push(...results);
    records += ns.length;
    log(`  collection size: ${records} records (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const fillSeconds = (performance.now() - t0) / 1000;
  const written: Record<'empty' | 'full', { results: CreateResult[]; ns: number[] }> = { empty: { results: [], ns: [] }, full: { results: [], ns: [] } };
  const create = (side: 'empty' | 'full') => async (i: number) => {
    const n = 1_000_000 + i;
    const r = await (side === 'empty' ? empty : full).create(benchDocument(n));
    written[side].results.push(r);
    written[side].ns.push(n);
  };
  const [intoEmpty, intoFull] = await measureInterleaved(
    [
      { name: 'create into an empty collection', op: create('empty') },
      { name: `create into ${records} records`, op: create('full') },
    ],
    options.growthOps,
    WARMUP,
  );
  for (const side of ['empty', 'full'] as const) {
    const { results, ns } = written[side];
    checkCreated(results, ns.length, `create into the ${side} collection`);
    await checkReadBack(side === 'empty' ? empty : full, results, ns, `create into the ${side} collection`);
  }
  const [updateSmall, updateFull] = await timeUpdates(
    { ops: empty, ids: written.empty.results.map((r) => r.id) },
    { ops: full, ids: spread(filled.map((r) => r.id), options.growthOps + WARMUP) },
    records,
    options.growthOps,
  );
  return { target, records, fillSeconds, empty: intoEmpty as Measurement, full: intoFull as Measurement, updateSmall: updateSmall as Measurement, updateFull: updateFull as Measurement };
}

/** `count` ids spread evenly over `ids`, from the start of the list to its end. */
function spread(ids: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => ids[Math.floor(((i + 0.5) * ids.length) / count)] as string);
}

/**
 * Updates each id of `small` and `full` once (v0 to v1, `n` set to 2,000,000 + its index),
 * alternating call by call, then reads a sample of each side back at v1.
 */
async function timeUpdates(
  small: { ops: EngineCollectionOps; ids: string[] },
  full: { ops: EngineCollectionOps; ids: string[] },
  records: number,
  count: number,
): Promise<Measurement[]> {
  const update = (side: { ops: EngineCollectionOps; ids: string[] }) => async (i: number) => {
    const r = await side.ops.update(side.ids[i] as string, benchDocument(2_000_000 + i), 0);
    if (r.ov !== 1) throw new Error(`bench: update gave v${r.ov}, expected v1`);
  };
  const measured = await measureInterleaved(
    [
      { name: 'update in a small collection', op: update(small) },
      { name: `update in ${records} records`, op: update(full) },
    ],
    count,
    WARMUP,
  );
  // measureInterleaved calls indexes count..count+WARMUP-1 first (warm-up), then 0..count-1.
  const ns = Array.from({ length: count + WARMUP }, (_, i) => 2_000_000 + i);
  for (const [side, what] of [[small, 'small'], [full, 'full']] as const) {
    await checkReadBack(side.ops, side.ids.slice(0, count + WARMUP).map((id) => ({ id })), ns, `update in the ${what} collection`, 5, 1);
  }
  return measured;
}
