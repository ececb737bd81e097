import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../runtime/errors.js';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('ident_records');
});
afterAll(async () => {
  await base.dispose();
});

const count = (filter: Record<string, unknown>) => base.db.collection('users').countDocuments(filter);

describe('identity create and getLatest', () => {
  it('creates a record at ov 0 and reads it back as app data plus _id and _system', async () => {
    const users = createIdentityOps(base.db, 't1', 'users');
    const created = await users.create({ email: 'ada@example.test', roles: ['admin'] }, 'signup', 'self-service');
    expect(created).toEqual({ id: expect.any(String), ov: 0, createdAt: expect.any(String) });
    expect(await users.getLatest(created.id)).toEqual({
      email: 'ada@example.test',
      roles: ['admin'],
      _id: created.id,
      _system: { ov: 0, insertedAt: created.createdAt, updatedAt: created.createdAt },
    });
  });

  it('returns null for an unknown id', async () => {
    expect(await createIdentityOps(base.db, 't1', 'users').getLatest('nobody')).toBeNull();
  });

  it('refuses a second create with a used id as a ConflictError and keeps the first record', async () => {
    const users = createIdentityOps(base.db, 't1', 'users');
    await users.create({ v: 'first' }, undefined, undefined, { id: 'taken' });
    const error = await users.create({ v: 'second' }, undefined, undefined, { id: 'taken' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).currentOv).toBe(0);
    expect((await users.getLatest('taken'))?.['v']).toBe('first');
  });

  it('stores a caller prop named tenantId as data, never as routing', async () => {
    const users = createIdentityOps(base.db, 't1', 'users', { indexedProps: ['tenantId'] });
    const { id } = await users.create({ tenantId: 'victim' });
    expect((await users.getLatest(id))?.['tenantId']).toBe('victim');
    expect(await createIdentityOps(base.db, 'victim', 'users').getLatest(id)).toBeNull();
    expect(await count({ tenantId: 'victim' })).toBe(0);
    expect((await users.query({ tenantId: 'victim' })).items.map((r) => r._id)).toEqual([id]);
  });
});

describe('identity update', () => {
  it('replaces the application data, keeps insertedAt and moves ov and updatedAt', async () => {
    const users = createIdentityOps(base.db, 't-up', 'users');
    const { id, createdAt } = await users.create({ a: 1, b: 2 });
    const updated = await users.update(id, { a: 10 }, 0, 'admin', 'fix');
    expect(updated).toMatchObject({ id, ov: 1 });
    const record = await users.getLatest(id);
    expect(record).toEqual({ a: 10, _id: id, _system: { ov: 1, insertedAt: createdAt, updatedAt: updated.updatedAt } });
  });
});

describe('identity input validation', () => {
  const users = () => createIdentityOps(base.db, 't-bad', 'users');

  it('refuses _system and _id in caller data with a ValidationError naming them, and writes nothing', async () => {
    const error = await users()
      .create({ name: 'x', _system: { ov: 9 }, _id: 'forged' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual(['data._id', 'data._system']);
    expect(await count({ tenantId: 't-bad' })).toBe(0);
  });

  it('refuses _system in an update and leaves the record as it was', async () => {
    const { id } = await users().create({ name: 'kept' });
    await expect(users().update(id, { name: 'x', _system: { ov: 5 } }, 0)).rejects.toBeInstanceOf(ValidationError);
    expect(await users().getLatest(id)).toMatchObject({ name: 'kept', _system: { ov: 0 } });
  });

  it('refuses a negative or fractional expectedOv, an empty id and non-object data', async () => {
    for (const [call, path] of [
      [() => users().update('x', {}, -1), 'expectedOv'],
      [() => users().delete('x', 0.5), 'expectedOv'],
      [() => users().getLatest(''), 'id'],
      [() => users().create([1, 2] as never), 'data'],
    ] as const) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path.join('.')).toBe(path);
    }
  });

  it('refuses an empty tenantId, a system. collection and an indexed prop starting with $', () => {
    expect(() => createIdentityOps(base.db, '', 'users')).toThrow(ValidationError);
    expect(() => createIdentityOps(base.db, 't', 'system.users')).toThrow(/collection/);
    expect(() => createIdentityOps(base.db, 't', 'users', { indexedProps: ['$where'] })).toThrow(/indexedProps/);
  });
});
