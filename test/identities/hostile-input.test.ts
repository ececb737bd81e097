/**
 * Hostile input to identities: input the server would choke on is a ValidationError
 * naming the field, nothing is written, and the connection stays usable; a collection named
 * like another collection's claims is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code } from 'mongodb';
import { ValidationError } from '../../runtime/errors.js';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('ident_hostile');
});
afterAll(async () => {
  await base.dispose();
});

async function paths(call: () => Promise<unknown> | unknown): Promise<Array<Array<string | number>>> {
  const error = await Promise.resolve().then(call).then(() => undefined, (e: unknown) => e);
  expect(error, String(error)).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => [...i.path]);
}

function deep(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

describe('identities refuse what the server would choke on', () => {
  const users = () => createIdentityOps(base.db, 'acme', 'users', { indexedProps: ['email'] });
  const circular = (): Record<string, unknown> => {
    const self: Record<string, unknown> = { email: 'x' };
    self['me'] = self;
    return self;
  };
  const cases: Array<[string, () => Record<string, unknown>, Array<string | number>]> = [
    ['NaN', () => ({ score: Number.NaN }), ['data', 'score']],
    ['circular data', circular, ['data', 'me']],
    ['deep nesting', () => ({ tree: deep(200) }), ['data', 'tree', ...Array.from({ length: 63 }, () => 'a')]],
    ['17 MB of data', () => ({ blob: 'x'.repeat(17 * 1024 * 1024) }), ['data']],
    ['a $ key', () => ({ profile: { $set: 1 } }), ['data', 'profile', '$set']],
    ['a dotted key', () => ({ profile: { 'a.b': 1 } }), ['data', 'profile', 'a.b']],
    ['a BSON Code', () => ({ code: new Code('1') }), ['data', 'code']],
    ['a lone surrogate', () => ({ name: '\udfff' }), ['data', 'name']],
    ['a Proxy whose traps throw', () => new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }), ['data']],
    ['an array inside an array (FerretDB stores none)', () => ({ grid: [[1, 2]] }), ['data', 'grid', 0]],
    ['an array of objects under "constructor" (the driver reads it back raw)', () => ({ constructor: [{ a: 1 }] }), ['data', 'constructor']],
  ];

  it.each(cases)('refuses %s on create and update, writes nothing, and the connection stays alive', async (_name, data, path) => {
    const ops = users();
    const { id } = await ops.create({ email: `${_name}@acme.test` });
    const before = await base.db.collection('users').countDocuments({});
    expect(await paths(() => ops.create(data()))).toContainEqual(path);
    expect(await paths(() => ops.update(id, data(), 0))).toContainEqual(path);
    expect(await base.db.collection('users').countDocuments({})).toBe(before);
    expect(await ops.getLatest(id)).toMatchObject({ email: `${_name}@acme.test`, _system: { ov: 0 } });
  });

  it('refuses non-JSON filter values (RegExp, NaN, Code, operator keys inside values)', async () => {
    const ops = users();
    expect(await paths(() => ops.query({ email: /@/ } as never))).toEqual([['filter', 'email']]);
    expect(await paths(() => ops.query({ email: { $gt: Number.NaN } } as never))).toEqual([['filter', 'email', '$gt']]);
    expect(await paths(() => ops.query({ email: new Code('1') } as never))).toEqual([['filter', 'email']]);
    expect(await paths(() => ops.query({ email: { $eq: { $gt: '' } } } as never))).toEqual([['filter', 'email', '$eq', '$gt']]);
    expect(await paths(() => ops.query({ email: { $in: [{ 'a.b': 1 }] } } as never))).toEqual([['filter', 'email', '$in', 0, 'a.b']]);
    expect((await ops.query({ email: 'NaN@acme.test' })).items).toHaveLength(1);
  });

  it('keeps Dates as Dates and reads back exactly what it stored', async () => {
    const ops = users();
    const at = new Date('2026-05-06T07:08:09.010Z');
    const { id } = await ops.create({ email: 'dates@acme.test', at, list: [1, 'two', null, { three: true }], skip: undefined });
    const back = await ops.getLatest(id);
    expect(back).toMatchObject({ email: 'dates@acme.test', at, list: [1, 'two', null, { three: true }] });
    expect(back).not.toHaveProperty('skip');
  });
});

describe('an identities collection cannot be named like the claims of another', () => {
  it('refuses a collection name ending in _claims, so X_claims never collides with the claims of X', async () => {
    expect(await paths(() => createIdentityOps(base.db, 'acme', 'users_claims'))).toEqual([['collection']]);
    const users = createIdentityOps(base.db, 'acme', 'people');
    const { id } = await users.create({ email: 'a@acme.test' });
    await users.update(id, { email: 'b@acme.test' }, 0);
    expect(await users.getLatest(id)).toMatchObject({ email: 'b@acme.test', _system: { ov: 1 } });
  });
});

describe('an identity update that only renames keys is stored', () => {
  it('replaces { email: {} } by { a: {} } and { n: 1 } by { m: 1 } (FerretDB skips such a $set)', async () => {
    const ops = createIdentityOps(base.db, 'acme', 'renames');
    const { id } = await ops.create({ email: {} });
    await ops.update(id, { a: {} }, 0);
    expect(await ops.getLatest(id)).toEqual(expect.objectContaining({ a: {}, _system: expect.objectContaining({ ov: 1 }) }));
    expect(await ops.getLatest(id)).not.toHaveProperty('email');
    await ops.update(id, { n: 1 }, 1);
    await ops.update(id, { m: 1 }, 2);
    const last = await ops.getLatest(id);
    expect(last).toMatchObject({ m: 1 });
    expect(last).not.toHaveProperty('n');
  });
});
