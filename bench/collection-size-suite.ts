/**
 * Create cost against collection size (issue 10, item 8: a create into 10,000 records within
 * 1.3x of one into an empty collection). One collection is filled with `createMany` up to
 * `options.collectionRecords` (or as far as `options.buildSeconds` allows), then creates into it
 * alternate call by call with creates into a collection that starts empty (it holds only the
 * few records the timed calls add).
 */
import type { BenchOptions } from './bench-config.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measureInterleaved } from './stats.js';
import { checkCreated, checkReadBack } from './engine-checks.js';
import { checkInterrupted } from './interrupt.js';
import type { CreateResult } from '../runtime/ops/types.js';

/** Create medians into an empty and a full collection. */
export interface CollectionSizeRow {
  /** Records asked for in the full collection. */
  target: number;
  /** Records it held when timing began. */
  records: number;
  fillSeconds: number;
  empty: Measurement;
  full: Measurement;
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
  return { target, records, fillSeconds, empty: intoEmpty as Measurement, full: intoFull as Measurement };
}
