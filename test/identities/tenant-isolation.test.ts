import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../runtime/errors.js';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('ident_tenants');
});
afterAll(async () => {
  await base.dispose();
});

describe('tenant isolation in the identities database', () => {
  it('keeps records with the same id apart and shows each tenant only its own', async () => {
    const a = createIdentityOps(base.db, 'tenant-a', 'users', { indexedProps: ['email'] });
    const b = createIdentityOps(base.db, 'tenant-b', 'users', { indexedProps: ['email'] });
    await a.create({ email: 'same@x.test', owner: 'a' }, undefined, undefined, { id: 'same-id' });
    await b.create({ email: 'same@x.test', owner: 'b' }, undefined, undefined, { id: 'same-id' });

    expect((await a.getLatest('same-id'))?.['owner']).toBe('a');
    expect((await b.getLatest('same-id'))?.['owner']).toBe('b');
    expect((await a.query({ email: 'same@x.test' })).items.map((r) => r['owner'])).toEqual(['a']);
    expect((await b.query({})).items.map((r) => r['owner'])).toEqual(['b']);

    await a.update('same-id', { email: 'same@x.test', owner: 'a2' }, 0);
    expect((await b.getLatest('same-id'))).toMatchObject({ owner: 'b', _system: { ov: 0 } });
    await b.delete('same-id', 0);
    expect((await a.getLatest('same-id'))?.['owner']).toBe('a2');
  });

  it('cannot update or delete another tenant\'s record by its id', async () => {
    const a = createIdentityOps(base.db, 'tenant-a', 'accounts');
    const b = createIdentityOps(base.db, 'tenant-b', 'accounts');
    const { id } = await a.create({ plan: 'pro' });
    await expect(b.update(id, { plan: 'free' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(b.delete(id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await a.getLatest(id))?.['plan']).toBe('pro');
  });
});
