/**
 * Reconcile's cost does not grow with one round trip per version row: after 1,200 writes (every
 * row still `pending`, as the write path leaves them) it reads heads and marks rows a batch at a
 * time, settles the dead claims among them, and a second run finds nothing. The commands it sends
 * are counted with the driver's command monitoring. Also the bulk marking itself: rows are
 * matched by `_id` and claim token, so a row claimed again since it was read is left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStartedEvent } from 'mongodb';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { VersionStore } from '../../runtime/ops/store/version-store.js';
import type { VersionRow } from '../../runtime/ops/store/version-store.js';
import { serverProfile } from '../../runtime/mongo/server-profile.js';
import { openFixture, type Fixture } from './support/fixture.js';

const RECORDS = 1_200;

let fx: Fixture;
const events: CommandStartedEvent[] = [];
beforeAll(async () => {
  fx = await openFixture('local', { monitorCommands: true });
  fx.client.on('commandStarted', (e) => events.push(e));
});
afterAll(async () => {
  await fx.teardown();
});

function row(id: string, ov: number, claim: string): VersionRow {
  const at = new Date();
  return { id, ov, cv: ov + 1, state: 'pending', claim, claimedAt: at, at, kind: 'update', meta: {}, insertedAt: at, updatedAt: at, deletedAt: null, deleted: false, functionIds: [] };
}

describe('reconcile after many writes', () => {
  it('settles 1,200 pending rows and two dead claims in a bounded number of commands, and a second run finds nothing', async () => {
    const ops = fx.ops('bulk');
    const created = await ops.createMany(Array.from({ length: RECORDS }, (_, n) => ({ n })));
    for (const step of ['claimed', 'payload-written'] as const) {
      const dying = fx.ops('bulk', { faults: (s) => { if (s === step) throw new Error('crash'); } });
      await expect(dying.update(created[step === 'claimed' ? 0 : 1]!.id, { n: -1 })).rejects.toThrow();
    }
    expect(await fx.db.collection('bulk_ver').countDocuments({ state: 'pending' })).toBe(RECORDS + 2);

    events.length = 0;
    const report = await reconcileCollection(fx.context('bulk'), { graceMs: 0 });
    const sent = events.filter((e) => ['find', 'update', 'delete', 'insert', 'getMore'].includes(e.commandName));
    expect(report.rolledBack).toEqual([{ id: created[0]!.id, ov: 1 }]);
    expect(report.rolledForward).toEqual([{ id: created[1]!.id, ov: 1 }]);
    // One head read and one update per row would be over 2,400 commands.
    expect(sent.length).toBeLessThan(60);
    const headReads = sent.filter((e) => e.commandName === 'find' && e.command.find === 'bulk_head');
    expect(headReads.length).toBeLessThan(10);

    const { scansQueries } = await serverProfile(fx.db);
    const stillPending = await fx.db.collection('bulk_ver').countDocuments({ state: 'pending' });
    // Rows the heads reached are marked where an index then leaves them out; on a server that scans every query they stay as written.
    expect(stillPending).toBe(scansQueries ? RECORDS : 0);
    expect(await ops.getLatest(created[1]!.id)).toMatchObject({ n: -1, _system: { ov: 1 } });
    expect(await ops.getLatest(created[0]!.id)).toMatchObject({ n: 0, _system: { ov: 0 } });

    const again = await reconcileCollection(fx.context('bulk'), { graceMs: 0 });
    expect([again.rolledBack, again.rolledForward, again.hardDeletesFinished, again.headsAdvanced, again.orphansRemoved]).toEqual([[], [], [], [], []]);
  });

  it('marks many rows committed in one command, each only while it carries the claim token that was read', async () => {
    const ver = new VersionStore(fx.db, 'marks_ver');
    const rows = Array.from({ length: 5 }, (_, i) => row(`r${i}`, 0, `claim-${i}`));
    for (const r of rows) await ver.claim(r);
    // r4 was released and claimed again by another writer since it was read: a new token.
    await ver.release('r4', 0, 'claim-4');
    await ver.claim(row('r4', 0, 'claim-4b'));
    expect(await ver.markManyCommitted(rows.slice(1))).toBe(3);
    const states = await fx.db.collection<VersionRow>('marks_ver').find({}, { sort: { id: 1 } }).map((r) => [r.id, r.state, r.claim]).toArray();
    expect(states).toEqual([
      ['r0', 'pending', 'claim-0'],
      ['r1', 'committed', 'claim-1'],
      ['r2', 'committed', 'claim-2'],
      ['r3', 'committed', 'claim-3'],
      ['r4', 'pending', 'claim-4b'],
    ]);
    expect(await ver.markManyCommitted([])).toBe(0);
  });
});
