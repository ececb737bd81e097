/**
 * The typed layer's figures as `npm run bench` reports them: the codegen bench
 * (`bench/codegen-bench.ts`) prints them as one JSON line, and the `codegen` scenario turns them
 * into summary rows, each a figure over its budget (CPU times are absolute: the budget is what
 * the typed layer may cost an app, not a ratio to a baseline).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fmt } from './stats.js';
import type { SummaryRow } from './summary.js';

/** Marks the JSON line among the codegen bench's output. */
export const FIGURES_PREFIX = 'codegen figures: ';

/** What the codegen bench measured (CPU in ms, medians of its runs). */
export interface CodegenFigures {
  generateCpu: number;
  tsc5Cpu: number;
  tsc5Instantiations: number;
  /** The declaration files alone on TypeScript 5.9: what any app declaring the collections pays. */
  declarations5Cpu: number;
  /** Absent when TypeScript 7 could not be installed. */
  tsc7Cpu?: number;
}

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/** A figure over its budget: met when the ratio is at most 1. */
function budgetRow(operation: string, value: number, budget: number, unit: (n: number) => string): SummaryRow {
  return { operation, engine: unit(value), baseline: `budget ${unit(budget)}`, ratio: value / budget, target: { at: '<=', ratio: 1 } };
}

const cpuSeconds = (ms: number) => `${fmt(ms / 1000)} s CPU`;

/** Summary rows of the typed layer's budgets from `figures`. */
export function codegenRows(figures: CodegenFigures): SummaryRow[] {
  const rows = [
    budgetRow('chronos generate, 100 collections, CLI incl. start-up', figures.generateCpu, 1200, cpuSeconds),
    budgetRow('tsc --noEmit of an app using 100 repositories, TypeScript 5.9', figures.tsc5Cpu, 3500, cpuSeconds),
    // Not a budget: the part of the row above that any app declaring these collections pays.
    { operation: '  of which its 100 declaration files alone (no generated code)', engine: cpuSeconds(figures.declarations5Cpu), baseline: `budget ${cpuSeconds(3500)}`, ratio: figures.declarations5Cpu / 3500 },
    budgetRow('instantiations of that app, TypeScript 5.9', figures.tsc5Instantiations, 40_000, (n) => `${Math.round(n)}`),
  ];
  if (figures.tsc7Cpu !== undefined) rows.push(budgetRow('tsc --noEmit of the same app, TypeScript 7', figures.tsc7Cpu, 1200, cpuSeconds));
  return rows;
}

/**
 * Builds the package (the CLI is timed as an app installs it), runs the codegen bench, prints its
 * report and returns its summary rows.
 */
export async function runCodegenBench(log: (line: string) => void): Promise<SummaryRow[]> {
  log('codegen: building the package');
  await run('npm', ['run', '--silent', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  log('codegen: generating and type-checking 100 collections (five runs of each command)');
  const { stdout } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'bench/codegen-bench.ts'), '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const lines = stdout.trimEnd().split('\n');
  const figuresLine = lines.find((line) => line.startsWith(FIGURES_PREFIX));
  if (!figuresLine) throw new Error(`the codegen bench printed no figures:\n${stdout.slice(-2000)}`);
  console.log(lines.filter((line) => line !== figuresLine).join('\n'));
  return codegenRows(JSON.parse(figuresLine.slice(FIGURES_PREFIX.length)) as CodegenFigures);
}
