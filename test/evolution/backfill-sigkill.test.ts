/**
 * A meta backfill killed with SIGKILL part-way (a child process, killed as soon as it reports
 * its first finished batch) is completed by the next run: it resumes after the last head the
 * dead run recorded, examines the rest, and afterwards every record written under revision 1 is
 * found by the renamed and retyped indexed props, and nothing is left to plan. Real FerretDB and
 * a local folder.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atRevision, initChronos, type Chronos, type ChronosConfig } from '../../runtime/index.js';
import { testConfig } from '../support/chronos-config.js';
import { peopleAt, recordAt } from './people-revisions.js';

const context = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'people' } as const;
/** 40 batches of 5: the child is far from done when its first progress line arrives. */
const RECORDS = 200;
let base: ChronosConfig;
const instances: Chronos[] = [];

function at(revision: keyof typeof peopleAt): Chronos {
  const chronos = initChronos({ ...base, collections: [atRevision(peopleAt[revision], revision)] });
  instances.push(chronos);
  return chronos;
}

/** Starts the backfill in a child process and kills it with SIGKILL after its first progress line. */
async function killAfterFirstBatch(): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/evolution/support/run-backfill.ts', JSON.stringify(base)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line);
    if (/heads examined/.test(line)) {
      child.kill('SIGKILL');
      break;
    }
  }
  const [code, signal] = await exited;
  expect({ code, signal, lines }).toMatchObject({ code: null, signal: 'SIGKILL' });
  return lines;
}

beforeAll(async () => {
  base = testConfig('local');
  const old = at(1).with(context);
  await old.createMany(Array.from({ length: RECORDS }, (_, i) => recordAt[1](i)));
});

afterAll(async () => {
  for (const chronos of instances) await chronos.admin.shutdown();
});

describe('a meta backfill killed with SIGKILL', () => {
  it('is completed by the next run, which finds the old records by the new props and leaves nothing planned', async () => {
    const lines = await killAfterFirstBatch();
    expect(lines.some((l) => l.startsWith('done'))).toBe(false);

    const current = at(8);
    const [resume] = await current.admin.backfillMeta({ dryRun: true });
    expect(resume?.plan).toMatchObject({ collection: 'people', reason: 'resuming an unfinished backfill to revision 8' });
    expect(resume?.plan.resumeAfter).toEqual(expect.any(String));
    const remaining = resume?.plan.heads as number;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(RECORDS);

    const [done] = await current.admin.backfillMeta({ batchSize: 5 });
    expect(done?.report).toMatchObject({ examined: remaining, failed: [] });

    const ops = current.with(context);
    const byAge = await ops.listByMeta({ filter: { age: 31 }, limit: 1000 });
    expect(byAge.items.map((r) => r.fullName).sort()).toEqual(Array.from({ length: RECORDS }, (_, i) => `Ann ${i}`).sort());
    for (const i of [0, 99, RECORDS - 1]) {
      expect((await ops.listByMeta({ filter: { fullName: `Ann ${i}` } })).items.map((r) => r.age)).toEqual([31]);
    }
    expect(await current.admin.backfillMeta({ dryRun: true })).toEqual([]);
  });
});
