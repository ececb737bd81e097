import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { toIdentityQuery } from '../../runtime/identities/filter.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;
const indexedProps = ['age', 'email', 'profile.country', 'status'];
const users = () => createIdentityOps(base.db, 't-q', 'users', { indexedProps });

beforeAll(async () => {
  base = await freshDb('ident_query');
  const people = [
    { id: 'u1', email: 'a@x.test', age: 20, status: 'active', profile: { country: 'NL' }, secret: 's1' },
    { id: 'u2', email: 'b@x.test', age: 30, status: 'active', profile: { country: 'DE' } },
    { id: 'u3', email: 'c@x.test', age: 40, status: 'blocked', profile: { country: 'NL' } },
    { id: 'u4', email: 'd@x.test', age: 50, profile: { country: 'FR' } },
    { id: 'u5', email: 'e@x.test', age: 60, status: 'active', profile: { country: 'NL' } },
  ];
  for (const { id, ...data } of people) await users().create(data, undefined, undefined, { id });
});
afterAll(async () => {
  await base.dispose();
});

const ids = async (filter: Record<string, unknown>) => (await users().query(filter)).items.map((r) => r._id);

describe('identity query by indexed props', () => {
  it('matches equality, comparison, $in, $nin, $ne and $exists, in id order', async () => {
    expect(await ids({ status: 'active' })).toEqual(['u1', 'u2', 'u5']);
    expect(await ids({ age: { $gt: 20, $lte: 50 } })).toEqual(['u2', 'u3', 'u4']);
    expect(await ids({ age: { $gte: 50 } })).toEqual(['u4', 'u5']);
    expect(await ids({ age: { $lt: 30 } })).toEqual(['u1']);
    expect(await ids({ email: { $in: ['c@x.test', 'e@x.test'] } })).toEqual(['u3', 'u5']);
    expect(await ids({ 'profile.country': { $nin: ['NL'] } })).toEqual(['u2', 'u4']);
    expect(await ids({ status: { $ne: 'active' } })).toEqual(['u3', 'u4']);
    expect(await ids({ status: { $exists: false } })).toEqual(['u4']);
    expect(await ids({ status: { $eq: 'blocked' } })).toEqual(['u3']);
  });

  it('combines filters with $and, $or and $nor', async () => {
    expect(await ids({ $or: [{ age: 20 }, { 'profile.country': 'FR' }] })).toEqual(['u1', 'u4']);
    expect(await ids({ $and: [{ status: 'active' }, { 'profile.country': 'NL' }] })).toEqual(['u1', 'u5']);
    expect(await ids({ $nor: [{ status: 'active' }] })).toEqual(['u3', 'u4']);
  });

  it('pages in id order with afterId = the previous nextCursor', async () => {
    const first = await users().query({}, { limit: 2 });
    expect(first.items.map((r) => r._id)).toEqual(['u1', 'u2']);
    const second = await users().query({}, { limit: 2, afterId: first.nextCursor! });
    expect(second.items.map((r) => r._id)).toEqual(['u3', 'u4']);
    const third = await users().query({}, { limit: 2, afterId: second.nextCursor! });
    expect(third).toEqual({ items: [expect.objectContaining({ _id: 'u5' })] });
  });

  it('returns records with their _system fields and unindexed data', async () => {
    const [u1] = (await users().query({ email: 'a@x.test' })).items;
    expect(u1).toMatchObject({ _id: 'u1', secret: 's1', _system: { ov: 0 } });
  });
});

describe('identity query refusals', () => {
  async function refusal(filter: Record<string, unknown>): Promise<ValidationError> {
    const error = await users().query(filter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }

  it('refuses a non-indexed prop and names the indexed ones', async () => {
    const error = await refusal({ secret: 's1' });
    expect(error.issues[0]?.path).toEqual(['filter', 'secret']);
    expect(error.message).toContain('age, email, profile.country, status');
  });

  it('refuses stored fields the caller does not own, such as tenantId and id', async () => {
    expect((await refusal({ tenantId: 'other' })).issues[0]?.path).toEqual(['filter', 'tenantId']);
    expect((await refusal({ $or: [{ id: 'u1' }] })).issues[0]?.path).toEqual(['filter', '$or', 0, 'id']);
  });

  it.each([
    ['at the top', { $where: 'true' }, ['filter', '$where']],
    ['inside $and', { $and: [{ status: 'active' }, { $where: 'true' }] }, ['filter', '$and', 1, '$where']],
    ['inside $or', { $or: [{ $where: 'sleep(1000)' }] }, ['filter', '$or', 0, '$where']],
    ['inside $elemMatch', { email: { $elemMatch: { $where: 'true' } } }, ['filter', 'email', '$elemMatch', '$where']],
    ['inside a literal value', { email: { nested: { $where: 'true' } } }, ['filter', 'email', 'nested', '$where']],
    ['as $function', { age: { $gt: { $function: { body: 'x', args: [], lang: 'js' } } } }, ['filter', 'age', '$gt', '$function']],
    ['as $accumulator', { $or: [{ age: { $in: [{ $accumulator: {} }] } }] }, ['filter', '$or', 0, 'age', '$in', 0, '$accumulator']],
  ])('refuses server-side JavaScript %s', async (_where, filter, path) => {
    const error = await refusal(filter);
    expect(error.issues.map((i) => i.path)).toContainEqual(path);
    expect(error.message).toMatch(/server-side JavaScript/);
  });

  it('refuses operators outside the comparison set, such as $regex, $expr and $elemMatch', async () => {
    expect((await refusal({ email: { $regex: '.*' } })).issues[0]?.path).toEqual(['filter', 'email', '$regex']);
    expect((await refusal({ $expr: { $eq: [1, 1] } })).issues[0]?.path).toEqual(['filter', '$expr']);
    expect((await refusal({ email: { $elemMatch: { $eq: 'a' } } })).issues[0]?.path).toEqual(['filter', 'email', '$elemMatch']);
  });

  it('refuses an empty $or and a non-array $in', async () => {
    expect((await refusal({ $or: [] })).issues[0]?.path).toEqual(['filter', '$or']);
    expect((await refusal({ age: { $in: 20 } })).issues[0]?.path).toEqual(['filter', 'age', '$in']);
  });
});

describe('identity filter translation', () => {
  it('sends indexed props under data. and always ANDs the tenant equality', () => {
    expect(toIdentityQuery({ email: 'a', $or: [{ age: { $gt: 1 } }] }, 't-q', indexedProps, 'users')).toEqual({
      'data.email': 'a',
      $or: [{ 'data.age': { $gt: 1 } }],
      tenantId: 't-q',
    });
  });
});
