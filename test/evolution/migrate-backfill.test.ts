/**
 * `chronos migrate` after a declaration change: filters on a renamed or retyped indexed prop
 * miss records written before it until the heads' indexed props are recomputed from the upcast
 * latest versions. Migrate plans that backfill (naming the collection and its size), builds the
 * new index, backfills, then drops the old index; the backfill resumes after a crash and a
 * second run finds nothing to do. Real FerretDB and a local folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../cli/migrate/migrate.js';
import { formatResult } from '../../cli/migrate/run-migrate.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { listDatabaseTargets } from '../../runtime/router/database-targets.js';
import { atRevision, initChronos, type Chronos, type ChronosConfig, type CollectionOps } from '../../runtime/index.js';
import { testConfig } from '../support/chronos-config.js';
import { peopleAt, recordAt } from './people-revisions.js';

const context = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'people' } as const;
let base: ChronosConfig;
const instances: Chronos[] = [];
let current: Chronos;
let ops: CollectionOps;

function at(revision: keyof typeof peopleAt): Chronos {
  const chronos = initChronos({ ...base, collections: [atRevision(peopleAt[revision], revision)] });
  instances.push(chronos);
  return chronos;
}

beforeAll(async () => {
  base = testConfig('local');
  for (const revision of [1, 3, 5] as const) {
    const old = at(revision).with(context);
    for (let i = 0; i < 3; i += 1) await old.create(recordAt[revision](i));
  }
  current = at(8);
  ops = current.with(context);
  await ops.create(recordAt[8](0));
});

afterAll(async () => {
  for (const chronos of instances) await chronos.admin.shutdown();
});

describe('meta backfill', () => {
  it('before it, filters on the renamed or retyped indexed prop miss the older records', async () => {
    expect((await ops.listByMeta({ filter: { fullName: 'Ann 0' } })).items).toEqual([]);
    expect((await ops.listByMeta({ filter: { age: 31 } })).items).toEqual([]);
  });

  it('migrate plans it (collection, reason and size) on a dry run, changing nothing', async () => {
    const dryRun = await migrate({
      targets: listDatabaseTargets(parseConfig(base)).filter((t) => t.databaseType === 'runtime'),
      collections: [atRevision(peopleAt[8], 8)],
      dryRun: true,
      backfill: (dbName, dry) => current.admin.backfillMeta({ dbName, dryRun: dry }),
    });
    const plans = dryRun.databases.flatMap((d) => d.backfills ?? []);
    expect(plans).toEqual([{ plan: expect.objectContaining({ collection: 'people', scope: 'all', heads: 10, revision: 8 }) }]);
    expect(formatResult(dryRun).join('\n')).toMatch(/backfill .*\.people_head meta: 10 heads \(no backfill recorded yet, declaration at revision 8\) planned/);
    expect((await ops.listByMeta({ filter: { fullName: 'Ann 0' } })).items).toEqual([]);
  });

  it('resumes after a crash part-way, and then finds the older records by the new props', async () => {
    let batches = 0;
    const crash = current.admin.backfillMeta({
      batchSize: 4,
      onProgress: (message) => {
        if (message.includes('examined') && ++batches === 1) throw new Error('simulated crash after the first batch');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const [resume] = await current.admin.backfillMeta({ dryRun: true });
    expect(resume?.plan).toMatchObject({ heads: 6, reason: 'resuming an unfinished backfill to revision 8' });
    expect(resume?.plan.resumeAfter).toEqual(expect.any(String));
    const [done] = await current.admin.backfillMeta({ batchSize: 4 });
    expect(done?.report).toMatchObject({ examined: 6, failed: [] });
    expect((await ops.listByMeta({ filter: { fullName: 'Ann 0' } })).items.map((r) => r.age)).toEqual([31]);
    expect((await ops.listByMeta({ filter: { age: 31 } })).items.map((r) => r.fullName).sort()).toEqual(['Ann 0', 'Ann 1', 'Ann 2']);
    expect((await ops.listByMeta({ filter: { status: 'inactive' } })).items.length).toBeGreaterThanOrEqual(3);
    expect(await current.admin.backfillMeta({ dryRun: true })).toEqual([]);
  });

  it('migrate builds the new index before backfilling and drops the old one after', async () => {
    const next = testConfig('local');
    const revision4 = initChronos({ ...next, collections: [atRevision(peopleAt[3], 3)] });
    instances.push(revision4);
    await revision4.with(context).create(recordAt[3](9));
    const targets = listDatabaseTargets(parseConfig(next)).filter((t) => t.databaseType === 'runtime' && t.tenantId === 'acme');
    expect((await migrate({ targets, collections: [atRevision(peopleAt[3], 3)] })).ok).toBe(true);
    const later = initChronos({ ...next, collections: [atRevision(peopleAt[8], 8)] });
    instances.push(later);
    const steps: string[] = [];
    const result = await migrate({
      targets,
      collections: [atRevision(peopleAt[8], 8)],
      onProgress: (m) => steps.push(m.trim()),
      backfill: (dbName, dryRun, onProgress) => later.admin.backfillMeta({ dbName, dryRun, ...(onProgress && { onProgress }) }),
    });
    expect(result.ok).toBe(true);
    const created = steps.findIndex((s) => s.startsWith('created people_head.chronos_meta_fullName'));
    const backfilled = steps.findIndex((s) => s.startsWith('backfill'));
    const dropped = steps.findIndex((s) => s.startsWith('dropped people_head.chronos_meta_name'));
    expect(created).toBeGreaterThanOrEqual(0);
    expect(backfilled).toBeGreaterThan(created);
    expect(dropped).toBeGreaterThan(backfilled);
    expect((await later.with(context).listByMeta({ filter: { fullName: 'Cy 9' } })).items).toHaveLength(1);
    const again = await migrate({ targets, collections: [atRevision(peopleAt[8], 8)], backfill: (dbName, dryRun) => later.admin.backfillMeta({ dbName, dryRun }) });
    expect(again.databases.flatMap((d) => d.backfills ?? [])).toEqual([]);
  });
});
