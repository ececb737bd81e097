/**
 * listByMeta: filters over indexed props and `_system` fields, stable cursor pagination, and tenant
 * isolation (docs/design.md, "Promises"): two databases as two tenants never see each other's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineCollectionOps } from '../../runtime/ops/collection-ops.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';

describe.each(BACKENDS)('listByMeta (%s storage)', (backend) => {
  let fx: Fixture;
  let ops: EngineCollectionOps;
  const ids: string[] = [];
  beforeAll(async () => {
    fx = await openFixture(backend);
    ops = fx.ops('orders', { settings: { indexedProps: ['status', 'amount', 'customer.tier'] } });
    for (let i = 0; i < 12; i += 1) {
      const { id } = await ops.create({ status: i % 3 === 0 ? 'paid' : 'open', amount: i * 10, customer: { tier: i < 6 ? 'gold' : 'basic' }, note: `n${i}` });
      ids.push(id);
    }
    await ops.delete(ids[0]!);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('filters on an indexed prop, leaves out deleted records, and returns full records', async () => {
    const page = await ops.listByMeta({ filter: { status: 'paid' } });
    expect(page.items.map((r) => r._id)).toEqual([ids[3], ids[6], ids[9]]);
    expect(page.items[0]).toMatchObject({ status: 'paid', amount: 30, note: 'n3', _system: { ov: 0 } });
    expect(page.nextCursor).toBeUndefined();
    const all = await ops.listByMeta({ filter: { status: 'paid' }, includeDeleted: true });
    expect(all.items).toHaveLength(4);
  });

  it('follows an update that changes which indexed props a record has (the whole head is rewritten)', async () => {
    const keyed = fx.ops('rekeyed', { settings: { indexedProps: ['orderId', 'status'] } });
    const { id } = await keyed.create({ orderId: 'A' });
    await keyed.update(id, { status: 'A' });
    expect((await keyed.listByMeta({ filter: { status: 'A' } })).items.map((r) => r._id)).toEqual([id]);
    expect((await keyed.listByMeta({ filter: { orderId: 'A' } })).items).toEqual([]);
  });

  it('accepts comparison operators, $or, nested indexed props and _system fields', async () => {
    const range = await ops.listByMeta({ filter: { amount: { $gte: 50, $lt: 80 } } });
    expect(range.items.map((r) => r.amount)).toEqual([50, 60, 70]);
    const either = await ops.listByMeta({ filter: { $or: [{ amount: 10 }, { 'customer.tier': 'basic', status: 'paid' }] } });
    expect(either.items.map((r) => r.amount)).toEqual([10, 60, 90]);
    const sys = await ops.listByMeta({ filter: { '_system.deleted': true }, includeDeleted: true });
    expect(sys.items.map((r) => r._id)).toEqual([ids[0]]);
    const since = await ops.listByMeta({ filter: { '_system.updatedAt': { $gte: '2000-01-01T00:00:00Z' } }, limit: 1000 });
    expect(since.items).toHaveLength(11);
  });

  it('pages through every match exactly once with the cursor, by id and by a sort field', async () => {
    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await ops.listByMeta({ limit: 4, ...(cursor ? { afterId: cursor } : {}) });
      seen.push(...page.items.map((r) => r._id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids.slice(1));

    const amounts: unknown[] = [];
    cursor = undefined;
    do {
      const page = await ops.listByMeta({ limit: 5, sort: { amount: -1 }, ...(cursor ? { afterId: cursor } : {}) });
      amounts.push(...page.items.map((r) => r.amount));
      cursor = page.nextCursor;
    } while (cursor);
    expect(amounts).toEqual([110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10]);
  });

  it('keeps pages stable when records change between pages', async () => {
    const first = await ops.listByMeta({ limit: 3, sort: { updatedAt: 1 } });
    await ops.update(first.items[0]!._id, { status: 'open', amount: 10, customer: { tier: 'gold' }, note: 'moved' });
    const second = await ops.listByMeta({ limit: 3, sort: { updatedAt: 1 }, afterId: first.nextCursor! });
    const firstIds = new Set(first.items.map((r) => r._id));
    expect(second.items.some((r) => firstIds.has(r._id))).toBe(false);
  });
});

describe.each(BACKENDS)('tenant isolation (%s storage)', (backend) => {
  let a: Fixture;
  let b: Fixture;
  beforeAll(async () => {
    [a, b] = await Promise.all([openFixture(backend), openFixture(backend)]);
  });
  afterAll(async () => {
    await Promise.all([a.teardown(), b.teardown()]);
  });

  it("never reaches tenant A's records through tenant B's handle, by id, filter, version, time or restore", async () => {
    const opsA = a.ops('users', { settings: { indexedProps: ['email'] } });
    const opsB = b.ops('users', { settings: { indexedProps: ['email'] } });
    const { id } = await opsA.create({ email: 'secret@a.example' });
    await opsB.create({ email: 'mine@b.example' });
    expect(await opsB.getLatest(id)).toBeNull();
    expect(await opsB.getVersion(id, 0)).toBeNull();
    expect(await opsB.getAsOf(id, new Date())).toBeNull();
    expect(await opsB.history(id)).toEqual([]);
    await expect(opsB.update(id, { email: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(opsB.restoreObject(id, { ov: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await opsB.listByMeta({ filter: { email: 'secret@a.example' } })).items).toEqual([]);
    expect((await opsB.listByMeta({ filter: { _id: id } })).items).toEqual([]);
    expect((await opsB.listByMeta({ limit: 1000, includeDeleted: true })).items.map((r) => r.email)).toEqual(['mine@b.example']);
    expect(await b.keys(`users/${id}/`)).toEqual([]);
    expect(await opsA.getLatest(id)).toMatchObject({ email: 'secret@a.example' });
  });
});
