/**
 * Two engine options against their plain counterparts (issue 5): `createMany` (bounded
 * concurrency, `writeOptimization.batchSize` at a time) against the same records created one
 * `create` at a time, and `getLatest` with the dev shadow on against off. Each pair runs on the
 * same database and bucket; the ratios are the result.
 */
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measureInterleaved } from './stats.js';
import { PUT_CONCURRENCY } from '../runtime/ops/create-many.js';
import { DEFAULT_SHADOW_MAX_BYTES } from '../runtime/ops/dev-shadow.js';
import { checkInterrupted } from './interrupt.js';

/** Throughput of writing `records` records both ways; median of `rounds` alternating rounds. */
export interface CreateManyRow {
  records: number;
  rounds: number;
  concurrency: number;
  sequentialPerSecond: number;
  createManyPerSecond: number;
}

/** getLatest with the dev shadow on and off, interleaved call by call. */
export interface ShadowRow {
  on: Measurement;
  off: Measurement;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

/**
 * Writes `records` records with sequential `create`, then the same number with `createMany`,
 * `rounds` times (alternating, each round in fresh collections so neither sees a larger one).
 */
export async function runCreateManySuite(fx: BenchFixture, storage: BenchStorage, records: number, rounds = 3): Promise<CreateManyRow> {
  const db = fx.database('chronos_bench_createmany');
  const settings = { indexedProps: ['status'] };
  const docs = Array.from({ length: records }, (_, i) => benchDocument(i));
  const sequential: number[] = [];
  const batched: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    checkInterrupted();
    const one = fx.ops(db, storage, `seq_${round}`, settings);
    let t0 = performance.now();
    for (const doc of docs) await one.create(doc);
    sequential.push((records / (performance.now() - t0)) * 1000);
    const many = fx.ops(db, storage, `many_${round}`, settings);
    t0 = performance.now();
    const results = await many.createMany(docs);
    batched.push((records / (performance.now() - t0)) * 1000);
    if (results.length !== records) throw new Error('bench: createMany returned a result per record');
  }
  return { records, rounds, concurrency: PUT_CONCURRENCY, sequentialPerSecond: median(sequential), createManyPerSecond: median(batched) };
}

/**
 * Times getLatest over `records` records with the shadow on and off (two handles on one
 * collection, so both read the same heads; only the shadow handle writes them).
 */
export async function runShadowSuite(fx: BenchFixture, storage: BenchStorage, reads: number, records = 20): Promise<ShadowRow> {
  const db = fx.database('chronos_bench_shadow');
  const on = fx.ops(db, storage, 'shadow', { indexedProps: ['status'], devShadow: { ttlMs: 3_600_000, maxBytesPerDoc: DEFAULT_SHADOW_MAX_BYTES } });
  const off = fx.ops(db, storage, 'shadow', { indexedProps: ['status'] });
  const ids: string[] = [];
  for (let i = 0; i < records; i += 1) ids.push((await on.create(benchDocument(i))).id);
  const read = (ops: typeof on) => async (i: number) => {
    const r = await ops.getLatest(ids[i % ids.length] as string);
    if (!r) throw new Error('bench: getLatest found no record');
  };
  const [shadowOn, shadowOff] = await measureInterleaved(
    [
      { name: 'getLatest, devShadow on', op: read(on) },
      { name: 'getLatest, devShadow off', op: read(off) },
    ],
    reads,
  );
  return { on: shadowOn as Measurement, off: shadowOff as Measurement };
}
