/**
 * getLatest as the history of one record grows: the head lookup must cost the same at 1 version
 * as at thousands. The history is written the honest way, by the engine's own `update` in a loop,
 * and the time that takes is reported too. At every step the long-history record is read
 * interleaved with a control record of the same collection that has one version, so machine
 * load on a shared box shows up in both columns and the ratio between them is the result.
 * Building stops at `options.buildSeconds` even short of the last step (today's engine writes
 * slower as history grows); the record is handed on so updates can be timed at its length.
 */
import type { BenchOptions } from './bench-config.js';
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import type { Measurement } from './stats.js';
import { measureInterleaved, summarise } from './stats.js';
import { checkInterrupted } from './interrupt.js';

/** getLatest at one history length, and what writing the history up to it cost. */
export interface HistoryRow {
  /** Versions the record had when getLatest was timed. */
  versions: number;
  /** The step asked for; above {@link versions} when the build ran out of time. */
  target: number;
  getLatest: Measurement;
  /** getLatest of a one-version record in the same collection, interleaved with {@link getLatest}. */
  control: Measurement;
  /** Seconds spent writing versions since the previous step. */
  writeSeconds: number;
  /** Latency of the last (at most 100) updates before this step; null at the first step. */
  lastUpdates: Measurement | null;
}

/** The record with the long history, for more measurements at its length. */
export interface LongRecord {
  ops: EngineCollectionOps;
  id: string;
  /** Its versions (the newest is ov = versions - 1). */
  versions: number;
}

/** The getLatest rows and the record they were read from. */
export interface HistoryResult {
  rows: HistoryRow[];
  record: LongRecord;
  /** True when the build stopped at `options.buildSeconds` before the last step. */
  outOfTime: boolean;
}

/** Builds one record's history step by step and times getLatest at each of `options.historySteps`. */
export async function runHistorySuite(fx: BenchFixture, storage: BenchStorage, options: BenchOptions, log: (line: string) => void): Promise<HistoryResult> {
  const ops = fx.ops(fx.database('chronos_bench_history'), storage, 'history', { indexedProps: ['status'] });
  const { id } = await ops.create(benchDocument(0));
  const control = await ops.create(benchDocument(1));
  let versions = 1;
  const rows: HistoryRow[] = [];
  const read = async (recordId: string, ov: number) => {
    const r = await ops.getLatest(recordId);
    if (r?._system.ov !== ov) throw new Error('bench: getLatest did not return the newest version');
  };
  const deadline = performance.now() + options.buildSeconds * 1000;
  let outOfTime = false;
  for (const target of options.historySteps) {
    const t0 = performance.now();
    const recent: number[] = [];
    while (versions < target) {
      if (performance.now() > deadline) {
        outOfTime = true;
        log(`  history: build time (${options.buildSeconds} s) used up at ${versions} versions of ${target}`);
        break;
      }
      checkInterrupted();
      const t = performance.now();
      const r = await ops.update(id, benchDocument(versions), versions - 1);
      if (r.ov !== versions) throw new Error(`bench: update gave v${r.ov}, expected v${versions}`);
      recent.push(performance.now() - t);
      if (recent.length > 100) recent.shift();
      versions += 1;
      if (versions % 500 === 0) log(`  history: ${versions} versions written (${((performance.now() - t0) / 1000).toFixed(0)} s in this step)`);
    }
    const writeSeconds = (performance.now() - t0) / 1000;
    if (rows.some((row) => row.versions === versions)) break;
    const [getLatest, baseline] = await measureInterleaved(
      [
        { name: `getLatest @ ${versions}`, op: () => read(id, versions - 1) },
        { name: 'getLatest @ 1', op: () => read(control.id, 0) },
      ],
      options.historyReads,
    );
    rows.push({ versions, target, getLatest: getLatest as Measurement, control: baseline as Measurement, writeSeconds, lastUpdates: recent.length > 0 ? summarise('update', recent) : null });
    log(`  history: getLatest at ${versions} versions measured`);
    if (outOfTime) break;
  }
  return { rows, record: { ops, id, versions }, outOfTime };
}

/**
 * Minutes to write a `target`-version history, extrapolated from the update latencies measured at
 * the last two steps with a per-update cost linear in the version count (what a server that scans
 * version rows gives): the sum of a + b·k for k up to target. Null with fewer than two points.
 */
export function estimateHistoryMinutes(rows: readonly HistoryRow[], target: number): number | null {
  const points = rows.filter((r) => r.lastUpdates !== null).slice(-2);
  if (points.length < 2) return null;
  const [p, q] = points as [HistoryRow, HistoryRow];
  const slope = Math.max(0, ((q.lastUpdates as Measurement).medianMs - (p.lastUpdates as Measurement).medianMs) / (q.versions - p.versions));
  const base = (q.lastUpdates as Measurement).medianMs - slope * q.versions;
  return (Math.max(0, base) * target + (slope * target * target) / 2) / 60_000;
}
