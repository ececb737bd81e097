/**
 * The SIGKILL soak: four writer processes mix update, enrich, create and createMany over shared
 * records while the test kills one of them with SIGKILL every round and starts it again. At the
 * end every version a writer acknowledged must read back with exactly what that write stored,
 * and the collection must satisfy the engine's invariants after one reconcile. Rounds:
 * `CHRONOS_SIGKILL_ROUNDS` (20 for a full run; CI keeps 4).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { testServers } from '../support/servers.js';
import { openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

const ROUNDS = Number(process.env.CHRONOS_SIGKILL_ROUNDS ?? 4);
const WRITERS = 4;

interface Ack {
  id: string;
  ov: number;
  n: string;
}

describe('writers killed with SIGKILL at random moments (S3 storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture('s3');
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it(`loses none of the acknowledged versions over ${ROUNDS} rounds of killing one of ${WRITERS} writers`, async () => {
    const coll = 'soak';
    const seed = await fx.ops(coll).createMany(Array.from({ length: 8 }, (_, i) => ({ n: `seed-${i}` })));
    const acks: Ack[] = seed.map((s, i) => ({ id: s.id, ov: 0, n: `seed-${i}` }));
    const outputs: string[] = [];
    const start = (w: number): ChildProcess => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/ops/support/soak-writer.ts', testServers().mongoUri, fx.db.databaseName, fx.bucket, coll, `w${w}r${outputs.length}`, seed.map((s) => s.id).join(',')],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const index = outputs.push('') - 1;
      child.stdout?.on('data', (chunk: Buffer) => (outputs[index] += chunk.toString()));
      return child;
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => start(w));
    let killed = 0;
    const acked = (): number => outputs.reduce((sum, out) => sum + (out.match(/^ack /gm)?.length ?? 0), 0);
    /** Waits (polling every 50 ms, at most 2 minutes) until `count` more writes are acknowledged. */
    const acknowledgedMore = async (count: number): Promise<void> => {
      const target = acked() + count;
      for (const until = Date.now() + 120_000; acked() < target && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Let the writers make progress (a few more acknowledged writes, however slow the machine),
      // then a random moment more: the kill lands wherever they are.
      await acknowledgedMore(4);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
      const victim = Math.floor(Math.random() * WRITERS);
      const child = writers[victim] as ChildProcess;
      child.kill('SIGKILL');
      await once(child, 'exit');
      killed += 1;
      writers[victim] = start(victim);
    }
    // The restarted writers make progress before the last kills too.
    await acknowledgedMore(WRITERS);
    for (const child of writers) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    for (const out of outputs) {
      for (const line of out.split('\n')) {
        // Only whole lines: a line cut by the kill was never fully acknowledged.
        if (line.startsWith('ack ') && line.endsWith('}')) acks.push(JSON.parse(line.slice(4)) as Ack);
      }
    }
    expect(killed).toBe(ROUNDS);
    expect(acks.length).toBeGreaterThanOrEqual(seed.length + ROUNDS * 4);

    // Every writer is dead now: settle what they left, then read every acknowledged version. A
    // writer killed while it settled another's claim leaves that claim's settlement lock until
    // its lease runs out; reconcile judges leases on a clock 10 s ahead (every lease here is
    // 1 s), as it would see them that much later, instead of the test waiting for them.
    const settling = Date.now();
    const later = () => new Date(Date.now() + 10_000);
    const report = await reconcileCollection(fx.context(coll, { settings: { indexedProps: ['n'] }, clock: later }), { graceMs: 0 });
    const reader = fx.ops(coll, { settings: { indexedProps: ['n'] } });
    const lost: string[] = [];
    for (const ack of acks) {
      const version = await reader.getVersion(ack.id, ack.ov);
      if (version?.n !== ack.n) lost.push(`${ack.id} v${ack.ov}: acknowledged ${ack.n}, read ${JSON.stringify(version?.n ?? null)}`);
    }
    console.info(
      `sigkill soak: ${ROUNDS} kills, ${acks.length} acknowledged versions, ${lost.length} lost; reconcile rolled ${report.rolledForward.length} forward and ` +
        `${report.rolledBack.length} back; reconcile and checks took ${Date.now() - settling} ms`,
    );
    expect({ acknowledged: acks.length, lost }).toEqual({ acknowledged: acks.length, lost: [] });
    for (const id of new Set(acks.map((a) => a.id))) await expect(reader.getLatest(id)).resolves.not.toBeNull();
    expect(await violations(fx, coll)).toEqual([]);
  }, 600_000);
});
