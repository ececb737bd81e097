/**
 * Settling a dead writer's claim when several parties find it at once: two settlers, or a settler
 * acting on a read taken before the record's next writer re-claimed the version. The interleavings
 * are run step by step (a stale read is held and replayed after the others finished), then a
 * randomized race of many writers over many dead claims checks that no acknowledged version is
 * ever lost. See `write-protocol.md`, "Settling".
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectedCrash, createEngine } from '../../runtime/ops/engine.js';
import { settleClaim } from '../../runtime/ops/settle-claim.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import type { VersionRow } from '../../runtime/ops/store/version-store.js';
import type { HeadDoc } from '../../runtime/ops/store/head-store.js';
import { testServers } from '../support/servers.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

/** A clock past every lease taken in these tests: the crashed writers' claims are dead on it. */
const later = (): Date => new Date(Date.now() + 60 * 60_000);

describe.each(BACKENDS)('two settlers of one dead claim (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  /** Creates a record (v0) and lets a writer die after `step` of its update to v1; returns the id. */
  async function recordWithDeadClaim(coll: string, step: 'claimed' | 'payload-written', data: Record<string, unknown> = { n: 'dead' }): Promise<string> {
    const { id } = await fx.ops(coll, settingsFor(coll)).create({ n: 0 });
    const dying = fx.ops(coll, {
      ...settingsFor(coll),
      faults: (s, info) => {
        if (s === step && info.op === 'update') throw new Error('killed');
      },
    });
    await expect(dying.update(id, data)).rejects.toBeInstanceOf(InjectedCrash);
    return id;
  }

  function settingsFor(coll: string) {
    return coll.includes('blob') ? { settings: { base64Props: { file: { contentType: 'application/octet-stream' } } } } : {};
  }

  /** What a settler reads before acting: the dead holder of v1 and the head. */
  async function staleRead(coll: string, id: string): Promise<{ holder: VersionRow; head: HeadDoc | null }> {
    const engine = createEngine(fx.context(coll, { clock: later }));
    const holder = await engine.ver.row(id, 1);
    expect(holder?.state).toBe('pending');
    return { holder: holder as VersionRow, head: await engine.heads.get(id) };
  }

  it('a settler that rolls back from a stale read after the next writer re-claimed the version and committed deletes nothing of it', async () => {
    const coll = 'stale_rollback';
    const id = await recordWithDeadClaim(coll, 'claimed');
    const first = await staleRead(coll, id);
    const second = await staleRead(coll, id);

    expect(await settleClaim(createEngine(fx.context(coll, { clock: later })), first.holder, first.head)).toBe('rolled-back');
    const written = await fx.ops(coll, { clock: later }).update(id, { n: 'winner' }, 0);
    expect(written.ov).toBe(1);
    // The slower settler acts on what it read before all of that.
    expect(await settleClaim(createEngine(fx.context(coll, { clock: later })), second.holder, second.head)).toBe('rolled-back');

    const ops = fx.ops(coll);
    expect(await ops.getLatest(id)).toMatchObject({ n: 'winner', _system: { ov: 1 } });
    expect(await ops.getVersion(id, 1)).toMatchObject({ n: 'winner' });
    expect(await violations(fx, coll)).toEqual([]);
  });

  it('a settler that rolls forward from a stale read after the record moved on changes nothing', async () => {
    const coll = 'stale_forward';
    const id = await recordWithDeadClaim(coll, 'payload-written', { n: 'dead but complete' });
    const first = await staleRead(coll, id);
    const second = await staleRead(coll, id);

    expect(await settleClaim(createEngine(fx.context(coll, { clock: later })), first.holder, first.head)).toBe('rolled-forward');
    const next = await fx.ops(coll, { clock: later }).update(id, { n: 'next' }, 1);
    expect(next.ov).toBe(2);
    expect(await settleClaim(createEngine(fx.context(coll, { clock: later })), second.holder, second.head)).toBe('rolled-forward');

    const ops = fx.ops(coll);
    expect(await ops.getLatest(id)).toMatchObject({ n: 'next', _system: { ov: 2 } });
    expect(await ops.getVersion(id, 1)).toMatchObject({ n: 'dead but complete' });
    expect(await violations(fx, coll)).toEqual([]);
  });

  it('never rolls a claim forward with the payload a rolled-back claim left under the same version', async () => {
    const coll = 'token_check';
    const id = await recordWithDeadClaim(coll, 'payload-written', { n: 'abandoned' });
    const engine = createEngine(fx.context(coll, { clock: later }));
    const abandoned = (await engine.ver.row(id, 1)) as VersionRow;
    await engine.ver.abandon(id, 1, abandoned.claim);
    // Settled by releasing the row only: its complete payload stays under v1 for now.
    expect(await settleClaim(engine, { ...abandoned, abandoned: true }, await engine.heads.get(id))).toBe('rolled-back');
    expect(await fx.keys(`${coll}/${id}/v1/`)).toHaveLength(1);

    // A new writer claims v1 (nothing to settle, so it finds no reason to clean) and dies before its PUT.
    const dying = fx.ops(coll, {
      faults: (s, info) => {
        if (s === 'claimed' && info.op === 'update') throw new Error('killed');
      },
    });
    await expect(dying.update(id, { n: 'never written' })).rejects.toBeInstanceOf(InjectedCrash);
    const newHolder = (await engine.ver.row(id, 1)) as VersionRow;
    expect(newHolder.claim).not.toBe(abandoned.claim);

    expect(await settleClaim(engine, newHolder, await engine.heads.get(id))).toBe('rolled-back');
    const ops = fx.ops(coll);
    expect(await ops.getLatest(id)).toMatchObject({ n: 0, _system: { ov: 0 } });
    expect(await ops.getVersion(id, 1)).toBeNull();
    await reconcileCollection(fx.context(coll, { clock: later }));
    expect(await fx.keys(`${coll}/${id}/v1/`)).toEqual([]);
    expect(await violations(fx, coll)).toEqual([]);
  });

  it('the writer that settles a claim by rolling it back and then wins the version removes what that claim left before writing', async () => {
    const coll = 'blob_cleanup';
    const id = await recordWithDeadClaim(coll, 'payload-written', { n: 'abandoned', file: Buffer.from('left behind').toString('base64') });
    const engine = createEngine(fx.context(coll, settingsFor(coll)));
    const abandoned = (await engine.ver.row(id, 1)) as VersionRow;
    await engine.ver.abandon(id, 1, abandoned.claim);
    expect((await fx.keys(`${coll}/${id}/v1/`)).sort()).toEqual([`${coll}/${id}/v1/file/blob.bin`, `${coll}/${id}/v1/item.json`]);

    const written = await fx.ops(coll, settingsFor(coll)).update(id, { n: 'winner' }, 0);
    expect(written.ov).toBe(1);
    expect(await fx.keys(`${coll}/${id}/v1/`)).toEqual([`${coll}/${id}/v1/item.json`]);
    expect(await fx.ops(coll, settingsFor(coll)).getLatest(id)).toMatchObject({ n: 'winner', _system: { ov: 1 } });
    expect(await violations(fx, coll)).toEqual([]);
  });
});

/** Trials of the randomized race; CHRONOS_SETTLE_TRIALS overrides (the default is what CI runs). */
const TRIALS = Number(process.env.CHRONOS_SETTLE_TRIALS ?? 50);

describe('many writers racing to settle dead claims (local storage, four clients)', () => {
  let fx: Fixture;
  const clients: MongoClient[] = [];
  beforeAll(async () => {
    fx = await openFixture('local');
    for (let i = 0; i < 4; i += 1) clients.push(await new MongoClient(testServers().mongoUri).connect());
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await fx.teardown();
  });

  it(`loses no acknowledged version in ${TRIALS} trials of 8 writers meeting one dead claim`, async () => {
    const coll = 'race';
    // Each writer is its own "process": its own client (one connection), so claims and releases
    // from different writers reach the server on different connections.
    const writers = clients.map((c) => fx.ops(coll, { db: c.db(fx.db.databaseName), clock: later }));
    const acknowledged: Array<{ id: string; ov: number; n: string }> = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const step = trial % 2 === 0 ? 'claimed' : 'payload-written';
      const { id } = await fx.ops(coll).create({ n: 'v0' });
      const dying = fx.ops(coll, {
        faults: (s, info) => {
          if (s === step && info.op === 'update') throw new Error('killed');
        },
      });
      await expect(dying.update(id, { n: `dead-${trial}` })).rejects.toBeInstanceOf(InjectedCrash);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, w) => {
          const n = `t${trial}-w${w}-${randomBytes(3).toString('hex')}`;
          return (writers[w % writers.length] as (typeof writers)[number]).update(id, { n }).then((r) => ({ id, ov: r.ov, n }));
        }),
      );
      const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      expect(failures).toEqual([]);
      for (const r of results) if (r.status === 'fulfilled') acknowledged.push(r.value);
    }

    const reader = fx.ops(coll);
    const lost: string[] = [];
    for (const ack of acknowledged) {
      const version = await reader.getVersion(ack.id, ack.ov);
      if (version?.n !== ack.n) lost.push(`${ack.id} v${ack.ov}: expected ${ack.n}, read ${JSON.stringify(version?.n ?? null)}`);
    }
    expect(lost).toEqual([]);
    expect(new Set(acknowledged.map((a) => `${a.id}/${a.ov}`)).size).toBe(acknowledged.length);
    await reconcileCollection(fx.context(coll, { clock: later }));
    expect(await violations(fx, coll)).toEqual([]);
  }, 300_000);
});
