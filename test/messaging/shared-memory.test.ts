import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { freshDb, sameDbWithPool, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;
let pooled: { db: FreshDb['db']; close(): Promise<void> };

beforeAll(async () => {
  base = await freshDb('msg_shared');
  pooled = await sameDbWithPool(base, 10);
});
afterAll(async () => {
  await pooled.close();
  await base.dispose();
});

// The URI's maxPoolSize=1 serialises FerretDB's read-modify-write updates; pool size 10 (its
// default-like setting) does not, so passing there shows the guarantees rest on unique indexes.
const clients = [
  { label: 'the URI client (maxPoolSize=1)', db: () => base.db },
  { label: 'a client with maxPoolSize=10', db: () => pooled.db },
];

describe.each(clients)('concurrent shared saves through $label', ({ label, db }) => {
  it('gives 20 concurrent append saves of one key 20 distinct consecutive versions 0..19', async () => {
    const m = createMessagingApi(db(), 'tenant-a', { captureDeliveries: false });
    const key = `append-${label}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => m.shared.save({ namespace: 'ns', key, val: { writer: i }, strategy: 'append' })),
    );
    expect(results.map((r) => r.version).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(results.map((r) => r.id)).size).toBe(20);
    const stored = await db()
      .collection(MESSAGING_COLLECTIONS.shared)
      .find({ tenantId: 'tenant-a', namespace: 'ns', key, strategy: 'append' })
      .toArray();
    expect(stored.map((d) => d['version']).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Each version holds the value of the writer that claimed it.
    for (const r of results) {
      const val = await m.shared.load<{ writer: number }>({ namespace: 'ns', key, strategy: 'append', version: r.version });
      expect(stored.find((d) => d['version'] === r.version)?.['val']).toEqual(val);
    }
  });

  it('lets 20 concurrent latest saves of one key all succeed and leave exactly one document holding one of their values', async () => {
    const m = createMessagingApi(db(), 'tenant-a', { captureDeliveries: false });
    const key = `latest-${label}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => m.shared.save({ namespace: 'ns', key, val: i, strategy: 'latest' })),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const docs = await db()
      .collection(MESSAGING_COLLECTIONS.shared)
      .find({ tenantId: 'tenant-a', namespace: 'ns', key })
      .toArray();
    expect(docs).toHaveLength(1);
    const value = await m.shared.load<number>({ namespace: 'ns', key, strategy: 'latest' });
    expect(Array.from({ length: 20 }, (_, i) => i)).toContain(value);
    expect(docs[0]?.['val']).toBe(value);
  });
});

describe('shared load', () => {
  it('gives the newest append version without a version and a named version with one', async () => {
    const m = createMessagingApi(base.db, 't-load', { captureDeliveries: false });
    for (const val of ['v0', 'v1', 'v2']) await m.shared.save({ namespace: 'n', key: 'k', val, strategy: 'append' });
    expect(await m.shared.load({ namespace: 'n', key: 'k', strategy: 'append' })).toBe('v2');
    expect(await m.shared.load({ namespace: 'n', key: 'k', strategy: 'append', version: 1 })).toBe('v1');
    expect(await m.shared.load({ namespace: 'n', key: 'k', strategy: 'append', version: 7 })).toBeNull();
  });

  it('keeps latest and append values of the same key apart', async () => {
    const m = createMessagingApi(base.db, 't-load', { captureDeliveries: false });
    await m.shared.save({ namespace: 'n', key: 'both', val: 'appended', strategy: 'append' });
    await m.shared.save({ namespace: 'n', key: 'both', val: 'first', strategy: 'latest' });
    await m.shared.save({ namespace: 'n', key: 'both', val: 'second', strategy: 'latest' });
    expect(await m.shared.load({ namespace: 'n', key: 'both', strategy: 'latest' })).toBe('second');
    expect(await m.shared.load({ namespace: 'n', key: 'both', strategy: 'append' })).toBe('appended');
  });

  it('returns null for a key never saved', async () => {
    const m = createMessagingApi(base.db, 't-load', { captureDeliveries: false });
    expect(await m.shared.load({ namespace: 'n', key: 'absent', strategy: 'latest' })).toBeNull();
    expect(await m.shared.load({ namespace: 'n', key: 'absent', strategy: 'append' })).toBeNull();
  });
});

describe('shared tombstone', () => {
  it('removes every version of the key and leaves one audit record with who, when and why but no value', async () => {
    const m = createMessagingApi(base.db, 't-tomb', { captureDeliveries: false });
    for (let i = 0; i < 3; i += 1) await m.shared.save({ namespace: 'n', key: 'secret', val: `s${i}`, strategy: 'append' });
    await m.shared.save({ namespace: 'n', key: 'secret', val: 'latest-secret', strategy: 'latest' });
    await m.shared.save({ namespace: 'n', key: 'kept', val: 'other key', strategy: 'latest' });
    const before = new Date();

    const result = await m.shared.tombstone({ namespace: 'n', key: 'secret', reason: 'gdpr request', actor: 'ops@acme' });

    expect(result.removed).toBe(4);
    expect(await base.db.collection(MESSAGING_COLLECTIONS.shared).countDocuments({ tenantId: 't-tomb', key: 'secret' })).toBe(0);
    expect(await m.shared.load({ namespace: 'n', key: 'secret', strategy: 'append' })).toBeNull();
    expect(await m.shared.load({ namespace: 'n', key: 'kept', strategy: 'latest' })).toBe('other key');
    const audits = await base.db
      .collection(MESSAGING_COLLECTIONS.sharedTombstones)
      .find({ tenantId: 't-tomb', namespace: 'n', key: 'secret' })
      .toArray();
    expect(audits).toHaveLength(1);
    const audit = audits[0]!;
    expect(audit).toMatchObject({ _id: result.tombstoneId, actor: 'ops@acme', reason: 'gdpr request', removed: 4 });
    expect((audit['at'] as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(JSON.stringify(audit)).not.toMatch(/latest-secret|"s[0-2]"/);
    expect(Object.keys(audit).sort()).toEqual(['_id', 'actor', 'at', 'key', 'namespace', 'reason', 'removed', 'tenantId']);
  });
});

describe('shared input validation', () => {
  const m = () => createMessagingApi(base.db, 't-valid', { captureDeliveries: false });

  it('refuses an empty namespace, an unknown strategy and a missing val, naming each field, and writes nothing', async () => {
    const error = await m()
      .shared.save({ namespace: '', key: 'k', strategy: 'newest' as 'latest' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['namespace', 'strategy', 'val']));
    expect(await base.db.collection(MESSAGING_COLLECTIONS.shared).countDocuments({ tenantId: 't-valid' })).toBe(0);
  });

  it('refuses a negative or fractional version and a version on a latest key', async () => {
    for (const [version, strategy] of [[-1, 'append'], [1.5, 'append'], [0, 'latest']] as const) {
      const error = await m()
        .shared.load({ namespace: 'n', key: 'k', strategy, version })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toEqual(['version']);
    }
  });

  it('refuses a tenantId field in the input instead of routing on it', async () => {
    const error = await m()
      .shared.save({ namespace: 'n', key: 'k', val: 1, strategy: 'latest', tenantId: 'other' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(await base.db.collection(MESSAGING_COLLECTIONS.shared).countDocuments({ tenantId: 'other' })).toBe(0);
  });

  it('stores a tenantId inside val as data', async () => {
    await m().shared.save({ namespace: 'n', key: 'data', val: { tenantId: 'other' }, strategy: 'latest' });
    expect(await m().shared.load({ namespace: 'n', key: 'data', strategy: 'latest' })).toEqual({ tenantId: 'other' });
    expect(await base.db.collection(MESSAGING_COLLECTIONS.shared).countDocuments({ tenantId: 'other' })).toBe(0);
  });
});
