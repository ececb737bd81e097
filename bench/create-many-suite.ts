/**
 * `createMany` against the same records written one `create` at a time (target: at
 * least 5x the records/s at the bench's `maxPoolSize=1`). Each round writes both ways into fresh
 * collections, so neither sees a larger one, and alternates which goes first; every result is
 * checked and a sample read back.
 */
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { ensureIndexes } from '../runtime/ops/engine.js';
import { benchDocument } from './operation-suite.js';
import { DEFAULT_CREATE_MANY_BATCH, PUT_CONCURRENCY } from '../runtime/ops/create-many.js';
import { checkCreated, checkReadBack } from './engine-checks.js';
import { checkInterrupted } from './interrupt.js';
import type { CreateResult } from '../runtime/ops/types.js';
import type { Measurement } from './stats.js';
import { summarise } from './stats.js';

/** Throughput of writing `records` records both ways; medians over `rounds` rounds. */
export interface CreateManyRow {
  records: number;
  rounds: number;
  /** Records per batch and payload PUTs in flight of the engine's createMany (its defaults). */
  batch: number;
  putConcurrency: number;
  sequentialPerSecond: number;
  createManyPerSecond: number;
  /** Latency of the sequential creates, over all rounds. */
  create: Measurement;
  /** Wall time of each createMany call (ms), over all rounds. */
  createManyMs: Measurement;
  /**
   * The SDK's storage ceiling: bare PutObject calls through `client.send` (or file writes) of the
   * same documents, with as many in flight as createMany uses, per second. The engine's S3 store
   * sends its PUTs without the SDK's command pipeline (`s3-direct-requests.ts`), so on S3
   * createMany can pass it; on the local folder it cannot (one write per record).
   */
  rawPutPerSecond: number;
}

const SETTINGS = { indexedProps: ['status'] };
const READ_BACK = 50;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

/** Writes `records` records with sequential `create` and with one `createMany`, `rounds` times. */
export async function runCreateManySuite(
  fx: BenchFixture,
  storage: BenchStorage,
  records: number,
  rounds: number,
  log: (line: string) => void,
): Promise<CreateManyRow> {
  const db = fx.database('chronos_bench_createmany');
  const docs = Array.from({ length: records }, (_, i) => benchDocument(i));
  const ns = docs.map((_, i) => i);
  const sequential: number[] = [];
  const batched: number[] = [];
  const latencies: number[] = [];
  const calls: number[] = [];

  const oneByOne = async (round: number) => {
    const ops = fx.ops(db, storage, `seq_${round}`, SETTINGS);
    await ensureIndexes(db, `seq_${round}`, SETTINGS.indexedProps);
    const results: CreateResult[] = [];
    const t0 = performance.now();
    for (const doc of docs) {
      checkInterrupted();
      const t = performance.now();
      results.push(await ops.create(doc));
      latencies.push(performance.now() - t);
    }
    sequential.push((records / (performance.now() - t0)) * 1000);
    checkCreated(results, records, 'create');
    await checkReadBack(ops, results, ns, 'sequential create', READ_BACK);
  };
  const together = async (round: number) => {
    const ops = fx.ops(db, storage, `many_${round}`, SETTINGS);
    await ensureIndexes(db, `many_${round}`, SETTINGS.indexedProps);
    checkInterrupted();
    const t0 = performance.now();
    const results = await ops.createMany(docs);
    calls.push(performance.now() - t0);
    batched.push((records / (performance.now() - t0)) * 1000);
    checkCreated(results, records, 'createMany');
    await checkReadBack(ops, results, ns, 'createMany', READ_BACK);
  };

  const rawPuts: number[] = [];
  const putsOnly = async (round: number) => {
    let next = 0;
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      while (next < docs.length) {
        const i = next++;
        await storage.floorBlobs.put(`ceiling_${round}/${i}/v0/item.json`, JSON.stringify({ _id: i, ...docs[i] }));
      }
    };
    await Promise.all(Array.from({ length: PUT_CONCURRENCY }, worker));
    rawPuts.push((records / (performance.now() - t0)) * 1000);
  };

  // Warm-up, untimed: both paths run once in a collection of their own, so no timed call pays the
  // JIT's first compile of its code (the sequential side warms itself over its first calls; one
  // createMany call would not), and each timed collection has its indexes before its clock starts.
  const warm = fx.ops(db, storage, 'warmup', SETTINGS);
  for (const doc of docs.slice(0, 20)) await warm.create(doc);
  await warm.createMany(docs.slice(0, Math.min(records, 200)));

  for (let round = 0; round < rounds; round += 1) {
    await putsOnly(round);
    const t0 = performance.now();
    if (round % 2 === 0) {
      await oneByOne(round);
      await together(round);
    } else {
      await together(round);
      await oneByOne(round);
    }
    log(`  createMany round ${round + 1}/${rounds}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { records, rounds, batch: DEFAULT_CREATE_MANY_BATCH, putConcurrency: PUT_CONCURRENCY, sequentialPerSecond: median(sequential), createManyPerSecond: median(batched), create: summarise('create', latencies), createManyMs: summarise('createMany', calls), rawPutPerSecond: median(rawPuts) };
}
