/**
 * Declaration evolution: what reading a version written two declaration revisions ago costs
 * against reading a current one (the old one is upcast twice and parsed by the current schema;
 * the current one is returned as stored), interleaved call by call on one collection; and what
 * `chronos generate` costs with a lock file of 100 collections x 3 revisions against none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import type { Measurement } from './stats.js';
import { measureInterleaved, summarise } from './stats.js';
import { writeFixture } from './codegen-fixture.js';
import { defineCollection } from '../runtime/schema/define-collection.js';
import { currentRevision, upgraderOf } from '../runtime/schema/upcasters.js';
import { loadDeclarations } from '../codegen/load/load-declarations.js';
import { generateFromDeclarations } from '../codegen/generate/generate.js';
import { emptyLock, type LockFile } from '../codegen/evolution/lock-file.js';
import { planRevisions, schemasOf } from '../codegen/evolution/plan-revisions.js';

/** Reads of an old-revision version against a current one. */
export interface EvolutionReadRow {
  getLatestOld: Measurement;
  getLatestCurrent: Measurement;
  getVersionOld: Measurement;
  getVersionCurrent: Measurement;
}

/** Revision 3 of the bench collection: revision 1 had `name` (renamed to `title` in 2) and `qty` as a string (a number since 3). */
const items = defineCollection({
  name: 'evolving',
  schema: z.object({ title: z.string(), qty: z.int(), status: z.enum(['new', 'open', 'closed']), note: z.string().default('') }),
  indexedProps: ['status'],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
  upcasters: {
    2: ({ name, ...rest }: { name: string; qty: string; status: string }) => ({ ...rest, title: name }),
    3: (v2: { title: string; qty: string; status: string }) => ({ ...v2, qty: Number.parseInt(v2.qty, 10) }),
  },
});

/** Times getLatest and getVersion of versions written under revision 1 against ones written under revision 3. */
export async function runEvolutionReadSuite(fx: BenchFixture, storage: BenchStorage, reads: number, records = 20): Promise<EvolutionReadRow> {
  const db = fx.database('chronos_bench_evolution');
  const old = fx.ops(db, storage, 'evolving', { indexedProps: ['status'], revision: 1 });
  const current = fx.ops(db, storage, 'evolving', { indexedProps: ['status'], revision: currentRevision(items), upgrade: upgraderOf(items) });
  const oldIds: string[] = [];
  const currentIds: string[] = [];
  for (let i = 0; i < records; i += 1) {
    oldIds.push((await old.create({ name: `item ${i}`, qty: String(i), status: 'open' })).id);
    currentIds.push((await current.create({ title: `item ${i}`, qty: i, status: 'open', note: '' })).id);
  }
  const check = (r: Record<string, unknown> | null) => {
    if (typeof r?.title !== 'string' || typeof r.qty !== 'number') throw new Error('bench: a read did not answer in the current declaration');
  };
  const latest = (ids: string[]) => async (i: number) => check(await current.getLatest(ids[i % ids.length] as string));
  const version = (ids: string[]) => async (i: number) => check(await current.getVersion(ids[i % ids.length] as string, 0));
  const [getLatestOld, getLatestCurrent, getVersionOld, getVersionCurrent] = await measureInterleaved(
    [
      { name: 'getLatest, 2 revisions old', op: latest(oldIds) },
      { name: 'getLatest, current revision', op: latest(currentIds) },
      { name: 'getVersion, 2 revisions old', op: version(oldIds) },
      { name: 'getVersion, current revision', op: version(currentIds) },
    ],
    reads,
  );
  return { getLatestOld, getLatestCurrent, getVersionOld, getVersionCurrent } as EvolutionReadRow;
}

/** generate with and without a declaration history. */
export interface LockGenerateRow {
  collections: number;
  withLock: Measurement;
  withoutLock: Measurement;
}

/**
 * A history of 3 revisions per collection: two earlier ones that differ from the declaration by
 * an annotation only, so generate finds each declaration changed, classifies the change
 * (compatible) and emits the types of 3 revisions.
 */
function historyOf(definitions: ReturnType<typeof schemasOf>[], names: string[]): LockFile {
  const lock = emptyLock();
  definitions.forEach((schemas, i) => {
    const annotated = (n: number) => ({
      input: { ...(schemas.input as object), description: `revision ${n}` },
      output: { ...(schemas.output as object), description: `revision ${n}` },
    });
    lock.collections[names[i] as string] = {
      revisions: [
        { revision: 1, change: 'initial', ...annotated(1) },
        { revision: 2, change: 'compatible', ...annotated(2) },
      ],
    };
  });
  return lock;
}

/** Times planning + generating 100 collections with a 3-revision history against none, interleaved (median of `rounds`: each run is about 0.1 s, so a garbage collection moves one run by half its time and three rounds are not enough). */
export async function runLockGenerateSuite(root: string, rounds = 21, count = 100): Promise<LockGenerateRow> {
  const dir = await mkdtemp(path.join(root, '.bench-evolution-'));
  try {
    const rel = (from: string) => path.relative(from, path.join(root, 'runtime/schema/index.js')).split(path.sep).join('/');
    await writeFixture(dir, count, rel(path.join(dir, 'schemas')), `./${rel(dir)}`.replace('./../', '../'));
    const outDir = path.join(dir, 'generated');
    const loaded = await loadDeclarations(path.join(dir, 'schemas'), outDir);
    const definitions = loaded.map((d) => d.definition);
    const history = historyOf(definitions.map(schemasOf), definitions.map((d) => d.name));
    const options = { schemasDir: path.join(dir, 'schemas'), outDir, runtimeImport: rel(outDir), command: 'chronos generate' };
    const run = (lock: LockFile) => {
      const plan = planRevisions(lock, definitions);
      if (plan.refusals.length > 0) throw new Error(`bench: ${plan.refusals[0]?.message}`);
      return generateFromDeclarations(loaded, options, plan.lock);
    };
    const withLock: number[] = [];
    const withoutLock: number[] = [];
    run(emptyLock());
    for (let i = 0; i < rounds; i += 1) {
      let t = performance.now();
      run(history);
      withLock.push(performance.now() - t);
      t = performance.now();
      run(emptyLock());
      withoutLock.push(performance.now() - t);
    }
    return { collections: count, withLock: summarise('generate, 3 revisions each', withLock), withoutLock: summarise('generate, no lock file', withoutLock) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
