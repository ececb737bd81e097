/**
 * Timing helpers for the benchmarks: run an operation N times in sequence and summarise
 * latency. Ratios against a raw-driver floor measured in the same run are the result; absolute
 * numbers on a shared machine are noise.
 */

import { checkInterrupted } from './interrupt.js';

/** Summary of one measured operation. */
export interface Measurement {
  name: string;
  count: number;
  opsPerSecond: number;
  medianMs: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/**
 * Measures several operations side by side, alternating them call by call (a, b, a, b, …) after
 * `warmup` untimed rounds, so all see the same machine load and the same data growth; running
 * all of one and then all of the other would hand whichever runs second a bigger collection.
 */
export async function measureInterleaved(
  entries: ReadonlyArray<{ name: string; op: (i: number) => Promise<unknown> }>,
  count: number,
  warmup = 5,
): Promise<Measurement[]> {
  for (let i = 0; i < warmup; i += 1) {
    for (const { op } of entries) await op(count + i);
  }
  const times = entries.map((): number[] => []);
  for (let i = 0; i < count; i += 1) {
    checkInterrupted();
    for (const [side, { op }] of entries.entries()) {
      const t0 = performance.now();
      await op(i);
      times[side]?.push(performance.now() - t0);
    }
  }
  return entries.map(({ name }, side) => summarise(name, times[side] ?? []));
}

/** Median, p99 and throughput of a list of latencies (ms); throughput counts only the timed calls. */
export function summarise(name: string, latencies: number[]): Measurement {
  const sorted = [...latencies].sort((x, y) => x - y);
  const total = sorted.reduce((sum, t) => sum + t, 0);
  return { name, count: sorted.length, opsPerSecond: total > 0 ? (sorted.length / total) * 1000 : Number.NaN, medianMs: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** Fixed-point formatting that prints `-` for NaN and infinities. */
export const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** Prints engine vs raw floor side by side, with the ratio of median latencies. */
export function printComparison(rows: Array<{ engine: Measurement; floor: Measurement; floorDescription: string }>): void {
  const header = ['operation', 'ops/s', 'median ms', 'p99 ms', 'floor ops/s', 'floor median', 'floor p99', 'ratio (median)', 'floor = raw calls'];
  const lines = rows.map(({ engine, floor, floorDescription }) => [
    engine.name,
    fmt(engine.opsPerSecond, 0),
    fmt(engine.medianMs),
    fmt(engine.p99Ms),
    fmt(floor.opsPerSecond, 0),
    fmt(floor.medianMs),
    fmt(floor.p99Ms),
    `${fmt(engine.medianMs / floor.medianMs)}x`,
    floorDescription,
  ]);
  printTable(header, lines);
}

/** Prints rows as a Markdown table (pasteable into notes). */
export function printTable(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
