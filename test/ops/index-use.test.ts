/**
 * Index use (docs/design.md, "Test servers and what FerretDB does"): every query the engine sends
 * is served by a declared index. The suite records every command a full workload sends (driver
 * command monitoring), derives each query shape and checks it against `requiredIndexes`. Also
 * checks that the checker itself rejects an unserved shape, so this test can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStartedEvent } from 'mongodb';
import type { ListQuery } from '../../runtime/ops/types.js';
import { requiredIndexes } from '../../runtime/ops/indexes.js';
import { servingIndex, shapeOf } from '../../runtime/ops/query-shape.js';
import type { QueryShape } from '../../runtime/ops/query-shape.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { applyVersionRetention } from '../../runtime/ops/retention.js';
import { openFixture, type Fixture } from './support/fixture.js';

const PROPS = ['status', 'amount'];

function shapesOf(event: CommandStartedEvent): QueryShape[] {
  const cmd = event.command as Record<string, unknown>;
  const coll = String(cmd[event.commandName]);
  switch (event.commandName) {
    case 'find':
      return [shapeOf(coll, cmd.filter as Record<string, unknown>, cmd.sort as Map<string, number>)];
    case 'findAndModify':
      return [shapeOf(coll, cmd.query as Record<string, unknown>, cmd.sort as Map<string, number>)];
    case 'update':
      return (cmd.updates as Array<{ q: Record<string, unknown> }>).map((u) => shapeOf(coll, u.q));
    case 'delete':
      return (cmd.deletes as Array<{ q: Record<string, unknown> }>).map((d) => shapeOf(coll, d.q));
    case 'aggregate':
    case 'count':
    case 'distinct':
      return [shapeOf(coll, { unsupported: event.commandName })];
    default:
      return [];
  }
}

describe('index use of every query the engine sends', () => {
  let fx: Fixture;
  const events: CommandStartedEvent[] = [];
  beforeAll(async () => {
    fx = await openFixture('local', { monitorCommands: true });
    fx.client.on('commandStarted', (e) => events.push(e));
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('serves every query shape of a full workload from a declared index', async () => {
    const settings = { indexedProps: PROPS };
    const ops = fx.ops('shop', { settings });
    const parents = fx.ops('parents');
    const parent = await parents.create({ p: 1 });
    const a = await ops.create({ status: 'open', amount: 5 }, 'u', 'r', { parentRecord: { id: parent.id, collection: 'parents' } });
    const b = await ops.create({ status: 'paid', amount: 7 });
    await ops.update(a.id, { status: 'paid', amount: 6 }, 0);
    await ops.update(a.id, { status: 'x', amount: 1 }, 0).catch(() => undefined);
    await ops.enrich(a.id, { tags: ['t'] }, { functionId: 'f' });
    await ops.delete(b.id);
    await ops.getLatest(a.id);
    await ops.getVersion(a.id, 1);
    // Both of getAsOf's strategies, whichever the server would pick (the instant is before the head's time, so the lookups search).
    for (const asOfStrategy of ['query', 'lookups'] as const) await fx.ops('shop', { settings, asOfStrategy }).getAsOf(a.id, new Date(0));
    await ops.history(a.id);
    const queries: ListQuery[] = [
      {},
      { filter: { status: 'paid' } },
      { filter: { amount: { $gt: 1 } }, sort: { amount: -1 }, limit: 1 },
      { sort: { updatedAt: -1 }, limit: 1 },
      { filter: { '_system.deleted': true }, includeDeleted: true },
    ];
    for (const query of queries) {
      const page = await ops.listByMeta(query);
      if (page.nextCursor) await ops.listByMeta({ ...query, afterId: page.nextCursor });
    }
    await ops.restoreObject(b.id, { ov: 0 });
    await ops.restoreCollection({ cv: 2 });
    await ops.restoreCollection({ at: new Date() });
    // Reconcile with work to do: a claim that died before its payload (rolled back), one that died
    // after it (rolled forward), and a payload with no row (an orphan, reaped).
    for (const step of ['claimed', 'payload-written'] as const) {
      const dying = fx.ops('shop', { settings, faults: (s) => { if (s === step) throw new Error('crash'); } });
      await expect(dying.create({ status: 'open', amount: 1 })).rejects.toThrow();
    }
    await fx.store.put(fx.bucket, `shop/${a.id}/v99/item.json`, '{}');
    const repaired = await reconcileCollection(fx.context('shop', { settings }), { graceMs: 0 });
    expect([repaired.rolledBack.length, repaired.rolledForward.length, repaired.orphansRemoved]).toEqual([1, 1, [{ id: a.id, ov: 99 }]]);
    await applyVersionRetention(fx.context('shop', { settings }), { maxPerItem: 2 });
    await fx.ops('hard', { settings: { logicalDelete: false } }).create({ a: 1 }).then((c) => fx.ops('hard', { settings: { logicalDelete: false } }).delete(c.id));

    const specs = ['shop', 'parents', 'hard'].flatMap((c) => requiredIndexes(c, { indexedProps: c === 'shop' ? PROPS : [] }));
    const shapes = events.flatMap(shapesOf);
    const unserved = shapes.filter((s) => servingIndex(s, specs) === null);
    expect(shapes.length).toBeGreaterThan(50);
    expect(unserved).toEqual([]);
    const distinct = new Map(shapes.map((s) => [JSON.stringify(s), `${JSON.stringify(s)} -> ${servingIndex(s, specs)}`]));
    console.info(`${shapes.length} queries, ${distinct.size} shapes:\n${[...distinct.values()].join('\n')}`);
  });

  it('sends one { id, at } query for getAsOf by query, and only lookups by _id by lookups', async () => {
    const ops = fx.ops('asof_shapes');
    const { id } = await ops.create({ n: 0 });
    for (let n = 1; n < 8; n += 1) await ops.update(id, { n }, n - 1);
    const before = new Date((await ops.history(id))[3]!.at);
    const filtersOf = async (asOfStrategy: 'query' | 'lookups') => {
      const from = events.length;
      expect(await fx.ops('asof_shapes', { asOfStrategy }).getAsOf(id, before)).toMatchObject({ n: 3 });
      return events.slice(from).filter((e) => e.commandName === 'find' && e.command['find'] === 'asof_shapes_ver').map((e) => Object.keys(e.command['filter'] as object));
    };
    expect(await filtersOf('query')).toEqual([['id', 'at']]);
    const lookups = await filtersOf('lookups');
    expect(lookups.length).toBeGreaterThan(1);
    expect(lookups.every((keys) => keys.length === 1 && keys[0] === '_id')).toBe(true);
  });

  it('reports a shape no declared index serves', () => {
    const specs = requiredIndexes('shop', { indexedProps: PROPS });
    expect(servingIndex(shapeOf('shop_head', { 'meta.email': 'x' }), specs)).toBeNull();
    expect(servingIndex(shapeOf('shop_ver', { kind: 'x' }), specs)).toBeNull();
    // Reconcile finds the rows not marked committed through the state index, and marks many by _id.
    expect(servingIndex(shapeOf('shop_ver', { state: 'pending' }), specs)).toBe('chronos_state');
    expect(servingIndex(shapeOf('shop_ver', { _id: { $in: ['a:0'] }, claim: { $in: ['c'] } }), specs)).toBe('_id_');
    expect(servingIndex(shapeOf('shop_ver', { id: 'x' }, { at: -1 }), specs)).toBe('chronos_id_at');
    expect(servingIndex(shapeOf('shop_head', { 'meta.status': 'x' }, { _id: 1 }), specs)).toBe('chronos_meta_status');
  });
});
