/**
 * Several callers at once against one caller (target: 8 concurrent callers at least 2x the
 * records/s of one, with every write succeeding). Both run on a second client with the driver's
 * default pool ({@link BenchFixture.pooledDatabase}), so the only difference is concurrency.
 * Each round and side: `callers` callers create their share of the records, one at a time each,
 * then each updates the records it created (distinct records, expectedOv 0). Failures are
 * counted by error name instead of stopping the run, and afterwards every record is listed and
 * compared with what was acknowledged: an acknowledged write that is not there as written is
 * "lost", a write reported failed that is there anyway is "phantom".
 */
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';
import type { BenchOptions } from './bench-config.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { benchDocument } from './operation-suite.js';
import { checkInterrupted } from './interrupt.js';
import { summarise } from './stats.js';
import { RawFloor } from './raw-floor.js';

/** What happened to one kind of write on one side, summed (counts) or median (rate) over rounds. */
export interface WriteTally {
  /** Successful writes per second of wall time, median over rounds. */
  perSecond: number;
  /** Latency of one successful call, over all rounds (ms). */
  medianMs: number;
  p99Ms: number;
  ok: number;
  failed: number;
  /** Acknowledged writes that did not read back as written. */
  lost: number;
  /** Writes reported as failed whose version is visible all the same. */
  phantom: number;
}

/** One side of the comparison: `callers` callers at once. */
export interface ConcurrencySide {
  callers: number;
  creates: WriteTally;
  updates: WriteTally;
}

/** The comparison, with every failure grouped by error name (and code, and cause). */
export interface ConcurrencyRow {
  recordsPerRound: number;
  rounds: number;
  one: ConcurrencySide;
  many: ConcurrencySide;
  /** Error label → how often, and the first message seen. */
  failures: Map<string, { count: number; example: string }>;
  /**
   * The raw floor (`raw-floor.ts`) doing the same creates and updates on the same pooled client:
   * writes/s with 1 caller and with `callers` callers. How much concurrency the servers and this
   * machine give at all, whatever runs on them.
   */
  floor: { one: { creates: number; updates: number }; many: { creates: number; updates: number } };
}

const SETTINGS = { indexedProps: ['status'] };
const PAGE = 1_000;

/** `Name code ← CauseName code`, so raw driver errors and wrapped ones are told apart. */
export function errorLabel(e: unknown): string {
  const parts: string[] = [];
  let current: unknown = e;
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(code === undefined ? current.name : `${current.name} ${String(code)}`);
      current = current.cause;
    } else {
      parts.push(typeof current);
      break;
    }
  }
  return parts.join(' ← ');
}

interface RoundTally {
  elapsedMs: number;
  /** Latencies of the successful calls (ms). */
  latencies: number[];
  ok: number;
  failed: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

/**
 * Runs `work(k)` for k in [0, total) split over `callers` callers, each doing its share in
 * sequence; `work` says whether the write succeeded, or undefined when it had nothing to do.
 */
async function split(callers: number, total: number, work: (k: number) => Promise<boolean | undefined>): Promise<RoundTally> {
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let k = c; k < total; k += callers) {
        checkInterrupted();
        const started = performance.now();
        const done = await work(k);
        if (done === true) {
          ok += 1;
          latencies.push(performance.now() - started);
        } else if (done === false) {
          failed += 1;
        }
      }
    }),
  );
  return { elapsedMs: performance.now() - t0, latencies, ok, failed };
}

/** Every record of the collection, by its `n`. */
async function listAll(ops: EngineCollectionOps): Promise<Map<number, Array<{ ov: number; rev: unknown }>>> {
  const byN = new Map<number, Array<{ ov: number; rev: unknown }>>();
  let afterId: string | undefined;
  do {
    const page = await ops.listByMeta({ limit: PAGE, ...(afterId !== undefined && { afterId }) });
    for (const r of page.items) {
      const n = Number(r['n']);
      byN.set(n, [...(byN.get(n) ?? []), { ov: r._system.ov, rev: r['rev'] }]);
    }
    afterId = page.nextCursor;
  } while (afterId !== undefined);
  return byN;
}

interface SideRound {
  creates: RoundTally;
  updates: RoundTally;
  lostCreates: number;
  lostUpdates: number;
  phantomCreates: number;
  phantomUpdates: number;
}

/** One round of one side in a fresh collection. */
async function runSide(ops: EngineCollectionOps, callers: number, records: number, onFailure: (e: unknown) => void): Promise<SideRound> {
  // The first write to a collection checks its indexes: pay that untimed (n outside 0..records-1).
  await ops.create(benchDocument(records));
  const created = new Array<{ id: string } | undefined>(records);
  const creates = await split(callers, records, async (k) => {
    try {
      const r = await ops.create(benchDocument(k));
      if (r.ov !== 0) throw new Error(`bench: create gave v${r.ov}, expected v0`);
      created[k] = { id: r.id };
      return true;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('bench:')) throw e;
      onFailure(e);
      return false;
    }
  });
  const updated = new Array<boolean>(records).fill(false);
  const updates = await split(callers, records, async (k) => {
    const rec = created[k];
    if (!rec) return undefined;
    try {
      const r = await ops.update(rec.id, { ...benchDocument(k), rev: 1 }, 0);
      if (r.ov !== 1) throw new Error(`bench: update gave v${r.ov}, expected v1`);
      updated[k] = true;
      return true;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('bench:')) throw e;
      onFailure(e);
      return false;
    }
  });
  const found = await listAll(ops);
  let lostCreates = 0;
  let lostUpdates = 0;
  let phantomCreates = 0;
  let phantomUpdates = 0;
  for (let k = 0; k < records; k += 1) {
    const seen = found.get(k) ?? [];
    const latest = seen.length === 1 ? seen[0] : undefined;
    if (created[k] === undefined) {
      if (seen.length > 0) phantomCreates += 1;
      continue;
    }
    if (!latest) {
      lostCreates += 1;
      continue;
    }
    const hasUpdate = latest.ov === 1 && latest.rev === 1;
    if (updated[k] && !hasUpdate) lostUpdates += 1;
    if (!updated[k] && hasUpdate) phantomUpdates += 1;
    if (!updated[k] && !hasUpdate && latest.ov !== 0) lostCreates += 1;
  }
  return { creates, updates, lostCreates, lostUpdates, phantomCreates, phantomUpdates };
}

function tally(rounds: SideRound[], kind: 'creates' | 'updates'): WriteTally {
  const sum = (f: (r: SideRound) => number) => rounds.reduce((s, r) => s + f(r), 0);
  const cap = kind === 'creates' ? 'Creates' : 'Updates';
  const latency = summarise(kind, rounds.flatMap((r) => r[kind].latencies));
  return {
    perSecond: median(rounds.map((r) => (r[kind].ok / r[kind].elapsedMs) * 1000)),
    medianMs: latency.medianMs,
    p99Ms: latency.p99Ms,
    ok: sum((r) => r[kind].ok),
    failed: sum((r) => r[kind].failed),
    lost: sum((r) => r[`lost${cap}`]),
    phantom: sum((r) => r[`phantom${cap}`]),
  };
}

/** The raw floor's creates then updates of `records` records split over `callers` callers: writes/s of each. */
async function floorSide(floor: RawFloor, callers: number, records: number): Promise<{ creates: number; updates: number }> {
  const ids = new Array<string>(records);
  const creates = await split(callers, records, async (k) => {
    ids[k] = (await floor.create(benchDocument(k))).id;
    return true;
  });
  const updates = await split(callers, records, async (k) => {
    await floor.update(ids[k] as string, { ...benchDocument(k), rev: 1 });
    return true;
  });
  return { creates: (creates.ok / creates.elapsedMs) * 1000, updates: (updates.ok / updates.elapsedMs) * 1000 };
}

/**
 * `options.concurrencyRounds` rounds of: one caller writing `callers x callerOps` records, and
 * `callers` callers writing as many between them (which goes first alternates by round).
 */
export async function runConcurrencySuite(fx: BenchFixture, storage: BenchStorage, options: BenchOptions, log: (line: string) => void): Promise<ConcurrencyRow> {
  const db = await fx.pooledDatabase('chronos_bench_concurrency');
  const records = options.callers * options.callerOps;
  const failures = new Map<string, { count: number; example: string }>();
  const onFailure = (e: unknown) => {
    const label = errorLabel(e);
    const seen = failures.get(label);
    if (seen) seen.count += 1;
    else failures.set(label, { count: 1, example: (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 300) });
  };
  const one: SideRound[] = [];
  const many: SideRound[] = [];
  // Untimed warm-up in a collection of its own, so the first timed side does not pay the JIT's
  // first compile of the write path.
  await runSide(fx.ops(db, storage, 'warmup', SETTINGS), options.callers, Math.min(records, 40), () => {});
  for (let round = 0; round < options.concurrencyRounds; round += 1) {
    const t0 = performance.now();
    const sides: Array<[number, SideRound[]]> = round % 2 === 0 ? [[1, one], [options.callers, many]] : [[options.callers, many], [1, one]];
    for (const [callers, into] of sides) {
      into.push(await runSide(fx.ops(db, storage, `c${callers}_r${round}`, SETTINGS), callers, records, onFailure));
    }
    log(`  concurrency round ${round + 1}/${options.concurrencyRounds}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const floorOne: Array<{ creates: number; updates: number }> = [];
  const floorMany: Array<{ creates: number; updates: number }> = [];
  for (let round = 0; round < options.concurrencyRounds; round += 1) {
    const floor = new RawFloor(await fx.pooledDatabase(`chronos_bench_concurrency_floor_${round}`), storage.floorBlobs, 'status');
    await floor.prepare();
    floorOne.push(await floorSide(floor, 1, records));
    floorMany.push(await floorSide(floor, options.callers, records));
  }
  return {
    floor: {
      one: { creates: median(floorOne.map((f) => f.creates)), updates: median(floorOne.map((f) => f.updates)) },
      many: { creates: median(floorMany.map((f) => f.creates)), updates: median(floorMany.map((f) => f.updates)) },
    },
    recordsPerRound: records,
    rounds: options.concurrencyRounds,
    one: { callers: 1, creates: tally(one, 'creates'), updates: tally(one, 'updates') },
    many: { callers: options.callers, creates: tally(many, 'creates'), updates: tally(many, 'updates') },
    failures,
  };
}
