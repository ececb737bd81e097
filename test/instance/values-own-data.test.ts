/**
 * Every input is judged by its own data, on every path a value can take (typed repositories,
 * `chronos.with()` on declared and undeclared collections, enrich, entity upserts, filters,
 * instants, identities, messaging): a Date by its internal time value, never by methods it
 * carries; NaN and ±Infinity, BigInt, BSON values and BSON-shaped objects, lone surrogates (in
 * data and in notes), `__proto__` keys and getters are refused with a ValidationError naming the
 * path, nothing is written, and Object.prototype is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Decimal128, Long, ObjectId } from 'mongodb';
import { ValidationError } from '../../runtime/errors.js';
import { initChronos, type Chronos } from '../../runtime/index.js';
import type { CollectionOps } from '../../runtime/ops/types.js';
import type { IdentityOps } from '../../runtime/identities/types.js';
import type { MessagingApi } from '../../runtime/messaging/types.js';
import { CollectionRepository } from '../../runtime/schema/collection-repository.js';
import { defineCollection } from '../../runtime/schema/index.js';
import { testConfig } from '../support/chronos-config.js';
import { declared, gadgets } from '../support/declared-fixture.js';

const bags = defineCollection({
  name: 'bags',
  schema: z.object({ bagId: z.string(), any: z.unknown().optional(), rec: z.record(z.string(), z.unknown()).optional(), note: z.string().optional() }),
  indexedProps: ['bagId'],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
});

type Repo = CollectionRepository<Record<string, unknown>, Record<string, unknown>, Record<string, never>, Record<string, 1 | -1>>;

let chronos: Chronos;
let orders: CollectionOps;
let bagOps: CollectionOps;
let repo: Repo;
let gadgetRepo: Repo;
let gadgetOps: CollectionOps;
let users: IdentityOps;
let m: MessagingApi;
let orderId: string;
let bagId: string;

beforeAll(async () => {
  chronos = initChronos(testConfig('local', { collections: [...declared, bags] }));
  const ctx = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme' } as const;
  orders = chronos.with({ ...ctx, collection: 'orders' });
  bagOps = chronos.with({ ...ctx, collection: 'bags' });
  repo = new CollectionRepository(bagOps, bags) as Repo;
  gadgetOps = chronos.with({ ...ctx, collection: 'gadgets' });
  gadgetRepo = new CollectionRepository(gadgetOps, gadgets) as Repo;
  users = chronos.with({ databaseType: 'identities', tenantId: 'acme', collection: 'users' }) as unknown as IdentityOps;
  m = chronos.messaging('acme');
  ({ id: orderId } = await orders.create({ orderId: 'O-1', status: 'placed' }));
  ({ id: bagId } = await repo.create({ bagId: 'B-1', rec: { a: 1 } }));
});
afterAll(async () => {
  await chronos.admin.shutdown();
});

/** The issue paths of the ValidationError `call` must throw. */
async function refused(call: () => Promise<unknown>): Promise<Array<Array<string | number>>> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error, String(error)).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((issue) => [...issue.path]);
}

/** How many versions and records each store holds, to show a refusal wrote nothing. */
async function written(): Promise<unknown> {
  return {
    orders: (await orders.history(orderId)).length,
    bags: (await bagOps.history(bagId)).length,
    orderCount: (await orders.listByMeta({ limit: 1000 })).items.length,
    bagCount: (await bagOps.listByMeta({ limit: 1000 })).items.length,
    users: (await users.query({}, { limit: 1000 })).items.length,
    shared: await m.shared.load({ namespace: 'own-data', key: 'k', strategy: 'latest' }),
  };
}

/** Runs `value` at `data.v` through every write path; each must refuse it at that path. */
async function refusedOnEveryPath(value: () => unknown, extra: Array<string | number> = []): Promise<void> {
  const before = await written();
  const at = ['v', ...extra];
  expect(await refused(() => orders.create({ orderId: 'O-x', v: value() }))).toContainEqual(['data', ...at]);
  expect(await refused(() => orders.update(orderId, { orderId: 'O-1', v: value() }))).toContainEqual(['data', ...at]);
  expect(await refused(() => orders.enrich(orderId, { v: value() }))).toContainEqual(['patch', ...at]);
  expect(await refused(() => repo.create({ bagId: 'B-x', any: { v: value() } }))).toContainEqual(['any', ...at]);
  expect(await refused(() => repo.create({ bagId: 'B-x', rec: { v: value() } }))).toContainEqual(['rec', ...at]);
  expect(await refused(() => repo.enrich(bagId, { rec: { v: value() } }))).toContainEqual(['rec', ...at]);
  expect(await refused(() => bagOps.create({ bagId: 'B-x', rec: { v: value() } }))).toContainEqual(['data', 'rec', ...at]);
  expect(await refused(() => users.create({ email: 'x@acme.test', v: value() }))).toContainEqual(['data', ...at]);
  expect(await refused(() => m.shared.save({ namespace: 'own-data', key: 'k', val: { v: value() }, strategy: 'latest' }))).toContainEqual(['val', ...at]);
  expect(await refused(() => m.messages.save({ topic: 't', msgId: 'own-data', payload: { v: value() } }))).toContainEqual(['payload', ...at]);
  expect(await written()).toEqual(before);
}

describe('a Date is judged by its internal time value', () => {
  const odd: Array<[string, () => Date]> = [
    ['its own toISOString', () => Object.defineProperty(new Date(0), 'toISOString', { value: () => '2099-01-01T00:00:00.000Z' })],
    ['its own getTime', () => Object.assign(new Date(0), { getTime: () => 4_102_444_800_000 })],
    ['its own valueOf', () => Object.assign(new Date(0), { valueOf: () => 4_102_444_800_000 })],
    ['its own toJSON', () => Object.assign(new Date(0), { toJSON: () => '2099-01-01T00:00:00.000Z' })],
    ['its own toString', () => Object.assign(new Date(0), { toString: () => 'later' })],
  ];
  it.each(odd)('refuses a Date with %s on every write path', async (_name, make) => {
    await refusedOnEveryPath(make);
  });

  it.each(odd)('refuses a Date with %s as an instant and in a filter', async (_name, make) => {
    expect(await refused(() => orders.getAsOf(orderId, make()))).toEqual([['at']]);
    expect(await refused(() => orders.listByMeta({ filter: { status: { $gt: make() as never } } }))).toContainEqual(['filter', 'status', '$gt']);
    expect(await refused(() => m.messages.save({ topic: 't', msgId: 'own-date', payload: 1, firstSeenAt: make() }))).toContainEqual(['firstSeenAt']);
  });

  it('stores a plain Date by its time value: an ISO string in versioned data, a Date in identities', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const { id } = await orders.create({ orderId: 'O-date', at });
    expect((await orders.getLatest(id))?.['at']).toBe('2026-03-04T05:06:07.089Z');
    const user = await users.create({ email: 'date@acme.test', at });
    expect((await users.getLatest(user.id))?.['at']).toEqual(at);
  });
});

describe('values JSON or BSON would change are refused with their path', () => {
  const cases: Array<[string, () => unknown, Array<string | number>]> = [
    ['NaN', () => Number.NaN, []],
    ['Infinity', () => Number.POSITIVE_INFINITY, []],
    ['-Infinity inside an array', () => [1, Number.NEGATIVE_INFINITY], [1]],
    ['a BigInt', () => 10n, []],
    ['an ObjectId', () => new ObjectId(), []],
    ['a Decimal128', () => Decimal128.fromString('1.5'), []],
    ['a Long', () => Long.fromNumber(7), []],
    ['a BSON-shaped plain object', () => ({ _bsontype: 'ObjectId', id: 'abcdefghijkl' }), ['_bsontype']],
    ['a lone surrogate', () => 'a\ud800', []],
    ['a __proto__ key', () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown, ['__proto__']],
  ];
  it.each(cases)('refuses %s', async (_name, value, extra) => {
    await refusedOnEveryPath(value, extra);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses them in filters too, before anything reaches the server', async () => {
    expect(await refused(() => orders.listByMeta({ filter: { status: Number.NaN as never } }))).toEqual([['filter', 'status']]);
    expect(await refused(() => orders.listByMeta({ filter: { status: 1n as never } }))).toEqual([['filter', 'status']]);
    expect(await refused(() => orders.listByMeta({ filter: { status: { _bsontype: 'Code', code: 'x' } as never } }))).toEqual([['filter', 'status', '_bsontype']]);
    expect(await refused(() => users.query({ email: { _bsontype: 'ObjectId' } as never }))).toEqual([['filter', 'email', '_bsontype']]);
  });
});

describe('__proto__ is one rule on every path: refused, never stored, never a prototype', () => {
  it('refuses it in a declared z.record, an enrich deep-merge, an entity upsert and identities', async () => {
    const before = await written();
    const proto = () => JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(await refused(() => repo.create({ bagId: 'B-p', rec: proto() }))).toEqual([['rec', '__proto__']]);
    expect(await refused(() => bagOps.update(bagId, { bagId: 'B-1', rec: proto() }))).toEqual([['data', 'rec', '__proto__']]);
    expect(await refused(() => orders.enrich(orderId, { nested: proto() }))).toEqual([['patch', 'nested', '__proto__']]);
    expect(await refused(() => orders.enrich(orderId, [{ ok: 1 }, proto()]))).toEqual([['patch', 1, '__proto__']]);
    const maker = Object.assign({ makerId: 'M-p', name: 'n' }, { nested: proto() });
    expect(await refused(() => gadgetOps.insertWithEntities({ sku: 'G-p', qty: 1, maker }, undefined))).toContainEqual(['data', 'maker', 'nested', '__proto__']);
    expect(await refused(() => (gadgetRepo as unknown as { saveWithEntities(i: unknown): Promise<unknown> }).saveWithEntities({ sku: 'G-p', qty: 1, maker }))).toContainEqual(['maker', 'nested', '__proto__']);
    expect(await refused(() => users.update('missing', proto(), 0))).toEqual([['data', '__proto__']]);
    expect(await refused(() => m.messages.save({ topic: 't', msgId: 'p', payload: 1, headers: proto() }))).toEqual([['headers', '__proto__']]);
    expect(await written()).toEqual(before);
    expect((await chronos.with({ databaseType: 'knowledge', tier: 'domain', domain: 'retail', collection: 'makers' }).listByMeta({ limit: 10 })).items).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps keys named like other Object.prototype members as ordinary data', async () => {
    const { id } = await repo.create({ bagId: 'B-c', rec: { constructor: 'c', toString: 't', hasOwnProperty: 1 } });
    expect((await bagOps.getLatest(id))?.['rec']).toStrictEqual({ constructor: 'c', toString: 't', hasOwnProperty: 1 });
  });
});

describe('a getter is never trusted: the input is read once into plain data before any check', () => {
  it('refuses a getter on the typed path without calling it, so a second read cannot grow past the limit', async () => {
    let reads = 0;
    const input = Object.defineProperty({ bagId: 'B-g' }, 'note', { enumerable: true, get: () => (reads++ === 0 ? 'small' : 'x'.repeat(12 * 1024 * 1024)) });
    const before = await written();
    expect(await refused(() => repo.create(input))).toEqual([['note']]);
    expect(await refused(() => bagOps.create(input))).toEqual([['data', 'note']]);
    expect(reads).toBe(0);
    expect(await written()).toEqual(before);
  });
});

describe('notes are refused with a lone surrogate (MongoDB would store U+FFFD and merge distinct values)', () => {
  it('refuses actor, reason, opId, functionId, origin and parentRecord naming the field', async () => {
    const before = await written();
    expect(await refused(() => orders.create({ orderId: 'O-s' }, 'actor\ud800'))).toEqual([['actor']]);
    expect(await refused(() => orders.create({ orderId: 'O-s' }, 'a', 'reason\udc00'))).toEqual([['reason']]);
    expect(await refused(() => orders.create({ orderId: 'O-s' }, 'a', 'r', { opId: 'op-\ud800' }))).toEqual([['options', 'opId']]);
    expect(await refused(() => orders.update(orderId, { orderId: 'O-1' }, undefined, 'a', 'r', { opId: 'op-\ud801' }))).toEqual([['options', 'opId']]);
    expect(await refused(() => orders.enrich(orderId, { x: 1 }, { functionId: 'fn\ud800' }))).toEqual([['functionId']]);
    expect(await refused(() => orders.create({ orderId: 'O-s' }, 'a', 'r', { origin: { id: 'x\ud800', collection: 'ext' } }))).toEqual([['options', 'origin', 'id']]);
    expect(await refused(() => orders.create({ orderId: 'O-s' }, 'a', 'r', { parentRecord: { id: 'p\udfff', collection: 'orders' } }))).toEqual([['options', 'parentRecord', 'id']]);
    expect(await refused(() => orders.delete(orderId, undefined, 'a', 'why\ud800'))).toEqual([['reason']]);
    expect(await refused(() => users.create({ email: 's@acme.test' }, 'actor\ud800'))).toEqual([['actor']]);
    expect(await written()).toEqual(before);
  });

  it('stores well-formed notes (astral characters included) exactly', async () => {
    const { id } = await orders.create({ orderId: 'O-n' }, 'actör 😀', 'reason ✓', { opId: 'op-😀' });
    const [version] = await orders.history(id);
    expect(version).toMatchObject({ actor: 'actör 😀', reason: 'reason ✓', opId: 'op-😀' });
  });
});
