/**
 * getLatest as the history of one record grows: the head lookup must cost the same at 1 version
 * as at thousands. The history is written the honest way, by the engine's own `update` in a loop,
 * and the time that takes is reported too (on FerretDB, where every query scans, each write
 * touches every version row of the collection, so writing the history is what grows).
 */
import type { BenchOptions } from './bench-config.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measure, summarise } from './stats.js';
import { checkInterrupted } from './interrupt.js';

/** getLatest at one history length, and what writing the history up to it cost. */
export interface HistoryRow {
  versions: number;
  getLatest: Measurement;
  /** Seconds spent writing versions since the previous step. */
  writeSeconds: number;
  /** Latency of the last (at most 100) updates before this step; NaN at 1 version. */
  lastUpdates: Measurement | null;
}

/** Builds one record's history step by step and times getLatest at each of `options.historySteps`. */
export async function runHistorySuite(fx: BenchFixture, storage: BenchStorage, options: BenchOptions, log: (line: string) => void): Promise<HistoryRow[]> {
  const ops = fx.ops(fx.database('chronos_bench_history'), storage, 'history', { indexedProps: ['status'] });
  const { id } = await ops.create(benchDocument(0));
  let versions = 1;
  const rows: HistoryRow[] = [];
  for (const target of options.historySteps) {
    const t0 = performance.now();
    const recent: number[] = [];
    while (versions < target) {
      checkInterrupted();
      const t = performance.now();
      await ops.update(id, benchDocument(versions), versions - 1);
      recent.push(performance.now() - t);
      if (recent.length > 100) recent.shift();
      versions += 1;
      if (versions % 500 === 0) log(`  history: ${versions} versions written (${((performance.now() - t0) / 1000).toFixed(0)} s in this step)`);
    }
    const writeSeconds = (performance.now() - t0) / 1000;
    const getLatest = await measure(`getLatest @ ${target}`, options.historyReads, async () => {
      const r = await ops.getLatest(id);
      if (r?._system.ov !== versions - 1) throw new Error('bench: getLatest did not return the newest version');
    });
    rows.push({ versions: target, getLatest, writeSeconds, lastUpdates: recent.length > 0 ? summarise('update', recent) : null });
    log(`  history: getLatest at ${target} versions measured`);
  }
  return rows;
}
