import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../runtime/errors.js';
import { claimsCollectionName } from '../../runtime/identities/documents.js';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { freshDb, sameDbWithPool, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;
let pooled: { db: FreshDb['db']; close(): Promise<void> };

beforeAll(async () => {
  base = await freshDb('ident_locking');
  pooled = await sameDbWithPool(base, 10);
});
afterAll(async () => {
  await pooled.close();
  await base.dispose();
});

// maxPoolSize=1 serialises FerretDB's read-modify-write updates; at 10 they interleave, so a
// pass there shows the compare-and-set rests on the claims' unique index, not on atomic updates.
describe.each([
  { label: 'the URI client (maxPoolSize=1)', db: () => base.db },
  { label: 'a client with maxPoolSize=10', db: () => pooled.db },
])('concurrent identity writes through $label', ({ label, db }) => {
  it('lets exactly one of 20 concurrent updates with the same expectedOv win and gives the 19 others a ConflictError with currentOv', async () => {
    const users = createIdentityOps(db(), 'tenant-a', 'users');
    const { id } = await users.create({ name: 'start' }, undefined, undefined, { id: `cas-${label}` });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => users.update(id, { name: `w${i}` }, 0)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const error of lost) {
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).currentOv).toBe(1);
      expect((error as ConflictError).expectedOv).toBe(0);
    }
    const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
    const record = await users.getLatest(id);
    expect(record?._system.ov).toBe(1);
    expect(record?.['name']).toBe(`w${winner}`);
  });

  it('applies all of 20 concurrent updates without expectedOv, each at its own ov, losing none', async () => {
    const users = createIdentityOps(db(), 'tenant-a', 'users');
    const { id } = await users.create({ n: -1 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => users.update(id, { n: i })));
    expect(results.map((r) => r.ov).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = results.find((r) => r.ov === 20);
    const record = await users.getLatest(id);
    expect(record?._system.ov).toBe(20);
    expect(record?.['n']).toBe(results.indexOf(last!));
  });

  it('lets exactly one of an update and a delete racing on the same expectedOv win', async () => {
    const users = createIdentityOps(db(), 'tenant-a', 'users');
    const { id } = await users.create({ n: 0 });
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => users.update(id, { n: 1 }, 0)),
      ...Array.from({ length: 5 }, () => users.delete(id, 0)),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const deleteWon = outcomes.slice(5).some((o) => o.status === 'fulfilled');
    expect((await users.getLatest(id))?._system.ov ?? 'deleted').toBe(deleteWon ? 'deleted' : 1);
  });
});

// The stored _id of a record's current incarnation, which its ov claims refer to.
async function headIdOf(tenantId: string, id: string): Promise<unknown> {
  return (await base.db.collection('users').findOne({ tenantId, id }))?._id;
}

describe('identity compare-and-set', () => {
  const users = () => createIdentityOps(base.db, 't-cas', 'users');

  it('refuses an update whose expectedOv is stale and reports the current ov', async () => {
    const { id } = await users().create({ a: 1 });
    await users().update(id, { a: 2 }, 0);
    const error = await users().update(id, { a: 3 }, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).currentOv).toBe(1);
    expect((await users().getLatest(id))?.['a']).toBe(2);
  });

  it('reports a missing record as NotFoundError without expectedOv and as a ConflictError at -1 with one', async () => {
    await expect(users().update('missing', { a: 1 })).rejects.toBeInstanceOf(NotFoundError);
    const error = await users().delete('missing', 3).catch((e: unknown) => e);
    expect((error as ConflictError).currentOv).toBe(-1);
  });

  it('deletes at the expected ov and lets the id be created again and updated from ov 0', async () => {
    const { id } = await users().create({ a: 1 }, undefined, undefined, { id: 'reborn' });
    await users().update(id, { a: 2 }, 0);
    const headId = await headIdOf('t-cas', id);
    expect(await users().delete(id, 1)).toMatchObject({ id, ov: 2 });
    expect(await users().getLatest(id)).toBeNull();
    expect(await base.db.collection(claimsCollectionName('users')).countDocuments({ tenantId: 't-cas', headId })).toBe(0);
    await users().create({ a: 'again' }, undefined, undefined, { id });
    expect(await users().update(id, { a: 'again 2' }, 0)).toMatchObject({ ov: 1 });
  });

  it('keeps at most the newest claim of a record after a run of updates', async () => {
    const { id } = await users().create({ a: 0 });
    for (let ov = 0; ov < 5; ov += 1) await users().update(id, { a: ov + 1 }, ov);
    const headId = await headIdOf('t-cas', id);
    const left = await base.db.collection(claimsCollectionName('users')).find({ tenantId: 't-cas', headId }).toArray();
    expect(left.map((c) => c['ov'])).toEqual([5]);
  });
});

describe('abandoned ov claims', () => {
  // A writer that crashed between claiming ov 1 and writing it, simulated by its claim row.
  async function crashedClaim(tenantId: string, id: string, ageMs: number) {
    const head = await base.db.collection('accounts').findOne({ tenantId, id });
    await base.db.collection(claimsCollectionName('accounts')).insertOne({
      _id: `crashed-${id}` as never,
      tenantId,
      headId: head?._id,
      ov: 1,
      at: new Date(Date.now() - ageMs),
    });
  }

  it('blocks a write while the claim is within its lease', async () => {
    const accounts = createIdentityOps(base.db, 't-lease', 'accounts', { claimLeaseMs: 60_000 });
    const { id } = await accounts.create({ a: 0 });
    await crashedClaim('t-lease', id, 1_000);
    await expect(accounts.update(id, { a: 1 }, 0)).rejects.toBeInstanceOf(ConflictError);
  });

  it('takes over a claim older than the lease so the record is not blocked forever', async () => {
    const accounts = createIdentityOps(base.db, 't-lease', 'accounts', { claimLeaseMs: 60_000 });
    const { id } = await accounts.create({ a: 0 });
    await crashedClaim('t-lease', id, 120_000);
    expect(await accounts.update(id, { a: 1 }, 0)).toMatchObject({ ov: 1 });
    expect((await accounts.getLatest(id))?.['a']).toBe(1);
  });
});
