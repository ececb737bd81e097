/**
 * The main comparison: each engine operation against its raw floor, interleaved call by call on
 * the same servers, one storage backend at a time. The engine's results are checked as they
 * come back, so a fast wrong answer (null, the wrong version) stops the run instead of
 * flattering the table.
 */
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';
import type { BenchOptions } from './bench-config.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { RawFloor } from './raw-floor.js';
import type { Measurement } from './stats.js';
import { measureInterleaved } from './stats.js';

/** One line of the comparison table. */
export interface ComparisonRow {
  engine: Measurement;
  floor: Measurement;
  floorDescription: string;
}

/** The indexed prop of the bench collection. */
export const BENCH_INDEXED_PROP = 'status';
const STATUSES = ['new', 'paid', 'shipped', 'returned'] as const;

/** A realistic order of about 600 bytes of JSON; the same document goes to the engine and the floor. */
export function benchDocument(i: number, status: string = STATUSES[i % STATUSES.length] as string): Record<string, unknown> {
  return {
    status,
    n: i,
    customer: { name: `Customer ${i}`, email: `customer${i}@example.com`, tier: i % 3 === 0 ? 'gold' : 'standard' },
    items: [
      { sku: `SKU-${i % 97}`, qty: 1 + (i % 4), price: 9.99 + (i % 10) },
      { sku: `SKU-${(i * 7) % 97}`, qty: 1, price: 4.5 },
    ],
    shipping: { street: `${i} Long Street`, city: 'Springfield', zip: `${10000 + i}` },
    notes: 'Leave at the door. '.repeat(12),
  };
}

interface Tracked {
  id: string;
  ov: number;
  /** Time of each version, index = ov. */
  times: Date[];
}

function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`bench: ${what} returned nothing`);
  return value;
}

/** Picks record `i` of a list, spread so consecutive calls hit different records. */
function pick(recs: Tracked[], i: number): Tracked {
  return recs[(i * 7919) % recs.length] as Tracked;
}

/** A time between version `k` and `k + 1` of a record: getAsOf must answer version k. */
function between(rec: Tracked, k: number): Date {
  const a = (rec.times[k] as Date).getTime();
  const b = (rec.times[k + 1] as Date).getTime();
  return new Date(Math.floor((a + b) / 2));
}

/** Runs create, update, enrich, getLatest, getVersion, getAsOf and listByMeta against their floors on one backend. */
export async function runOperationSuite(fx: BenchFixture, storage: BenchStorage, options: BenchOptions, log: (line: string) => void): Promise<ComparisonRow[]> {
  const n = options.ops;
  const ops: EngineCollectionOps = fx.ops(fx.database('chronos_bench'), storage, 'orders', { indexedProps: [BENCH_INDEXED_PROP] });
  const floor = new RawFloor(fx.database('chronos_bench_floor'), storage.floorBlobs, BENCH_INDEXED_PROP);
  await floor.prepare();
  const eng: Tracked[] = [];
  const raw: Tracked[] = [];
  const rows: ComparisonRow[] = [];
  const tag = (name: string) => `${name} (${storage.backend})`;
  const phase = async (label: string, run: () => Promise<void>) => {
    const t0 = performance.now();
    await run();
    log(`  ${tag(label)}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };

  await phase('create', async () => {
    const [engine, versioned, bare] = await measureInterleaved(
      [
        { name: tag('create'), op: async (i) => { const r = await ops.create(benchDocument(i)); eng.push({ id: r.id, ov: 0, times: [new Date(r.createdAt)] }); } },
        { name: 'floor', op: async (i) => { const r = await floor.create(benchDocument(i)); raw.push({ id: r.id, ov: 0, times: [r.at] }); } },
        { name: 'bare floor', op: (i) => floor.createBare(benchDocument(i)) },
      ],
      n,
    );
    rows.push({ engine: engine as Measurement, floor: versioned as Measurement, floorDescription: 'insertOne(version row) + PutObject + insertOne(head)' });
    rows.push({ engine: { ...(engine as Measurement), name: tag('create vs bare') }, floor: bare as Measurement, floorDescription: 'insertOne(head) + PutObject, no version row (the issue\'s literal floor)' });
  });

  await phase('update', async () => {
    const [engine, base] = await measureInterleaved(
      [
        { name: tag('update'), op: async (i) => { const rec = eng[i % eng.length] as Tracked; const r = await ops.update(rec.id, benchDocument(i, STATUSES[(i + 1) % 4]), rec.ov); rec.ov = r.ov; rec.times.push(new Date(r.updatedAt)); } },
        { name: 'floor', op: async (i) => { const rec = raw[i % raw.length] as Tracked; const r = await floor.update(rec.id, benchDocument(i, STATUSES[(i + 1) % 4])); rec.ov = r.ov; rec.times.push(r.at); } },
      ],
      n,
    );
    rows.push({ engine: engine as Measurement, floor: base as Measurement, floorDescription: 'findOne(head) + insertOne(version row, unique id+ov) + PutObject + updateOne(head, CAS on ov)' });
  });

  await phase('enrich', async () => {
    const patch = (i: number) => ({ tags: [`t${i % 5}`], customer: { lastContact: `2026-11-${1 + (i % 28)}` } });
    const [engine, base] = await measureInterleaved(
      [
        { name: tag('enrich'), op: async (i) => { const rec = eng[i % eng.length] as Tracked; const r = await ops.enrich(rec.id, patch(i)); rec.ov = r.ov; rec.times.push(new Date(r.updatedAt)); } },
        { name: 'floor', op: async (i) => { const rec = raw[i % raw.length] as Tracked; const r = await floor.enrich(rec.id, patch(i)); rec.ov = r.ov; rec.times.push(r.at); } },
      ],
      n,
    );
    rows.push({ engine: engine as Measurement, floor: base as Measurement, floorDescription: 'findOne(head) + GetObject + deep merge + insertOne(version row) + PutObject + updateOne(head, CAS)' });
  });

  const reads: Array<{ name: string; description: string; engine: (i: number) => Promise<unknown>; floor: (i: number) => Promise<unknown> }> = [
    {
      name: 'getLatest',
      description: 'findOne(head by _id) + GetObject',
      engine: async (i) => { const rec = pick(eng, i); const r = must(await ops.getLatest(rec.id), 'getLatest'); if (r._system.ov !== rec.ov) throw new Error('bench: getLatest gave a stale version'); },
      floor: async (i) => must(await floor.getLatest(pick(raw, i).id), 'floor getLatest'),
    },
    {
      name: 'getVersion',
      description: 'findOne(version row by id, ov) + GetObject',
      engine: async (i) => { const rec = pick(eng, i); const ov = i % (rec.ov + 1); const r = must(await ops.getVersion(rec.id, ov), 'getVersion'); if (r._system.ov !== ov) throw new Error('bench: getVersion gave the wrong version'); },
      floor: async (i) => { const rec = pick(raw, i); return must(await floor.getVersion(rec.id, i % (rec.ov + 1)), 'floor getVersion'); },
    },
    {
      name: 'getAsOf',
      description: 'findOne(version row by id, at <= t, sort at desc) + GetObject',
      engine: async (i) => { const rec = pick(eng, i); const k = i % rec.ov; const r = must(await ops.getAsOf(rec.id, between(rec, k)), 'getAsOf'); if (r._system.ov !== k) throw new Error(`bench: getAsOf gave v${r._system.ov}, expected v${k}`); },
      floor: async (i) => { const rec = pick(raw, i); return must(await floor.getAsOf(rec.id, between(rec, i % rec.ov)), 'floor getAsOf'); },
    },
    {
      name: 'listByMeta',
      description: `find(meta.status = v, sort _id, limit ${options.listLimit}) + one GetObject per item, in parallel`,
      engine: async (i) => { const page = await ops.listByMeta({ filter: { status: STATUSES[i % 4] }, limit: options.listLimit }); if (page.items.length === 0) throw new Error('bench: listByMeta found nothing'); },
      floor: async (i) => floor.list(STATUSES[i % 4], options.listLimit),
    },
  ];
  for (const read of reads) {
    await phase(read.name, async () => {
      const [engine, base] = await measureInterleaved([{ name: tag(read.name), op: read.engine }, { name: 'floor', op: read.floor }], n);
      rows.push({ engine: engine as Measurement, floor: base as Measurement, floorDescription: read.description });
    });
  }
  return rows;
}
