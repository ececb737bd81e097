/**
 * getLatest with the dev shadow on against off: two handles on one collection,
 * interleaved call by call; the ratio is the result.
 */
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measureInterleaved } from './stats.js';
import { DEFAULT_SHADOW_MAX_BYTES } from '../runtime/ops/dev-shadow.js';

/** getLatest with the dev shadow on and off, interleaved call by call. */
export interface ShadowRow {
  on: Measurement;
  off: Measurement;
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
