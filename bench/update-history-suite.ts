/**
 * Update cost against history length (target: an update at 10,000 versions within 1.3x
 * of one at 10). The long record is the one the history suite built; the short side is a fresh
 * collection of records with `options.shortHistory` versions each, one record per timed call,
 * so every short-side update happens at exactly that length. The two sides alternate call by
 * call, so machine load falls on both.
 */
import type { BenchOptions } from './bench-config.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import type { LongRecord } from './history-suite.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measureInterleaved } from './stats.js';
import { checkInterrupted } from './interrupt.js';

/** Update medians at both history lengths. */
export interface UpdateHistoryRow {
  shortVersions: number;
  longVersions: number;
  short: Measurement;
  long: Measurement;
}

const WARMUP = 5;

/** Times `options.growthOps` updates of `long` against as many of short-history records. */
export async function runUpdateHistorySuite(fx: BenchFixture, storage: BenchStorage, long: LongRecord, options: BenchOptions, log: (line: string) => void): Promise<UpdateHistoryRow> {
  const ops = fx.ops(fx.database('chronos_bench_short_history'), storage, 'short', { indexedProps: ['status'] });
  const count = options.growthOps;
  const shortIds: string[] = [];
  const t0 = performance.now();
  for (let r = 0; r < count + WARMUP; r += 1) {
    checkInterrupted();
    const { id } = await ops.create(benchDocument(r));
    for (let ov = 1; ov < options.shortHistory; ov += 1) await ops.update(id, benchDocument(r), ov - 1);
    shortIds.push(id);
  }
  log(`  update at history: ${count + WARMUP} records of ${options.shortHistory} versions built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const longVersions = long.versions;
  let longOv = long.versions - 1;
  const [longSide, shortSide] = await measureInterleaved(
    [
      {
        name: `update @ ${longVersions} versions`,
        op: async (i) => {
          const r = await long.ops.update(long.id, benchDocument(i), longOv);
          if (r.ov !== longOv + 1) throw new Error(`bench: update gave v${r.ov}, expected v${longOv + 1}`);
          longOv = r.ov;
        },
      },
      {
        name: `update @ ${options.shortHistory} versions`,
        op: async (i) => {
          const r = await ops.update(shortIds[i] as string, benchDocument(i), options.shortHistory - 1);
          if (r.ov !== options.shortHistory) throw new Error(`bench: update gave v${r.ov}, expected v${options.shortHistory}`);
        },
      },
    ],
    count,
    WARMUP,
  );
  return { shortVersions: options.shortHistory, longVersions, short: shortSide as Measurement, long: longSide as Measurement };
}
