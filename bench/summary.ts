/**
 * The one table a run ends with: every engine-vs-baseline figure, with its target and whether
 * it is met, printed and written to a Markdown file to paste into the README.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fmt } from './stats.js';

/** A bound on a ratio: `<=` for costs (engine over floor), `>=` for speed-ups. */
export type Target = { at: '<=' | '>='; ratio: number };

/** Targets for the engine-vs-floor medians, by operation. */
export const FLOOR_TARGETS: Readonly<Record<string, Target>> = {
  create: { at: '<=', ratio: 1.15 },
  update: { at: '<=', ratio: 1.2 },
  enrich: { at: '<=', ratio: 1.25 },
  getLatest: { at: '<=', ratio: 1.05 },
  getVersion: { at: '<=', ratio: 1.3 },
  getAsOf: { at: '<=', ratio: 1.3 },
};

/** One line of the summary. `engine` and `baseline` are formatted with their unit. */
export interface SummaryRow {
  operation: string;
  engine: string;
  baseline: string;
  /** Engine over baseline (medians, or rates for throughput rows). */
  ratio: number;
  target?: Target;
  /** Something that makes the ratio not count, e.g. failed writes; the row then misses its target. */
  spoiler?: string;
}

/** "yes", "no", or "-" without a target. */
export function verdict(row: SummaryRow): string {
  if (!row.target) return '-';
  if (row.spoiler) return `no (${row.spoiler})`;
  const met = row.target.at === '<=' ? row.ratio <= row.target.ratio : row.ratio >= row.target.ratio;
  return met ? 'yes' : 'no';
}

/** A millisecond median as a cell. */
export const ms = (value: number): string => `${fmt(value)} ms`;

/** A rate as a cell. */
export const perSecond = (value: number, unit: string): string => `${fmt(value, 0)} ${unit}/s`;

/** The summary as Markdown table lines. */
export function summaryTable(rows: readonly SummaryRow[]): string[] {
  return [
    '| operation | engine | floor / baseline | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.operation} | ${r.engine} | ${r.baseline} | ${fmt(r.ratio)}x | ${r.target ? `${r.target.at} ${r.target.ratio}x` : '-'} | ${verdict(r)} |`),
  ];
}

/** Writes `lines` to `path` (creating its folder); `-` writes nothing. Returns where it wrote, or null. */
export async function writeSummary(path: string, lines: readonly string[]): Promise<string | null> {
  if (path === '-') return null;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}
