/**
 * Two tenants on one bucket (the shared-infrastructure setup), separated by `keyPrefix`, on each
 * storage backend: a record with the same id in both stays two records through create, update,
 * restore, reconcile, retention and hard delete; every object lies under its tenant's prefix;
 * ids a caller chooses cannot name a key outside it. Without keyPrefix the config is refused,
 * and a single database keeps the unprefixed layout.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { ConfigError, ValidationError } from '../../runtime/errors.js';
import { createObjectStore } from '../../runtime/storage/create-object-store.js';
import { listAllKeys } from '../../runtime/storage/list-all-keys.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { testServers, uniqueName } from '../support/servers.js';

type Storage = 'local' | 's3' | 'azure';

const COLLECTION = 'docs';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** Tenants t1 and t2 on one bucket of `storage`, with key prefixes unless `prefixes` is false. */
function sharedConfig(storage: Storage, bucket: string, prefixes = true): ChronosConfig {
  const servers = testServers();
  const run = uniqueName('shb');
  const tenant = (tenantId: string) => ({
    tenantId,
    dbConnRef: 'mongo',
    dbName: `${run}_${tenantId}`,
    bucket,
    ...(prefixes && { keyPrefix: tenantId }),
    ...(storage !== 'local' && { spaceConnRef: storage }),
  });
  return {
    dbConnections: { mongo: { mongoUri: servers.mongoUri } },
    spacesConnections:
      storage === 's3'
        ? { s3: { endpoint: servers.s3.endpoint, region: servers.s3.region, accessKey: servers.s3.accessKey, secretKey: servers.s3.secretKey } }
        : storage === 'azure'
          ? { azure: { kind: 'azure', endpoint: servers.azure.endpoint, region: 'local', accessKey: servers.azure.account, secretKey: servers.azure.key } }
          : {},
    ...(storage === 'local' && { localStorage: { enabled: true, basePath: mkdtempSync(join(tmpdir(), 'chronos-shared-')) } }),
    databases: { runtime: { tenantDatabases: [tenant('t1'), tenant('t2')] } },
    collectionMaps: { [COLLECTION]: { indexedProps: ['owner'], base64Props: { file: { contentType: 'text/plain' } } } },
    retention: { ver: { maxPerItem: 1 } },
  };
}

/** A client for the same storage the instance writes to, to look at the bucket directly. */
function rawStore(config: ChronosConfig): ObjectStore {
  if (config.localStorage) return createObjectStore({ kind: 'local', basePath: config.localStorage.basePath });
  const [conn] = Object.values(config.spacesConnections ?? {});
  if (!conn) throw new Error('no storage connection in the test config');
  return createObjectStore({ kind: conn.kind ?? 's3', endpoint: conn.endpoint, region: conn.region ?? 'us-east-1', accessKey: conn.accessKey, secretKey: conn.secretKey });
}

describe.each<Storage>(['s3', 'azure', 'local'])('two tenants on one %s bucket with keyPrefix', (storage) => {
  const bucket = uniqueName('shb').replace(/_/g, '-');
  let config: ChronosConfig;
  let chronos: Chronos;
  let raw: ObjectStore;
  const ctx = (tenantId: string) => ({ databaseType: 'runtime' as const, tenantId, collection: COLLECTION });
  const keys = async (prefix = ''): Promise<string[]> => {
    const found: string[] = [];
    for await (const key of listAllKeys(raw, bucket, { prefix })) found.push(key);
    return found.sort();
  };

  beforeAll(() => {
    config = sharedConfig(storage, bucket);
    chronos = initChronos(config);
    raw = rawStore(config);
  });

  afterAll(async () => {
    const client = new MongoClient(testServers().mongoUri);
    try {
      for (const t of config.databases.runtime?.tenantDatabases ?? []) await client.db(t.dbName).dropDatabase();
    } finally {
      await client.close();
    }
    const left = await keys();
    if (left.length > 0) await raw.deleteMany(bucket, left);
    await raw.close();
    await chronos.admin.shutdown();
  });

  it('keeps a record id created in both tenants as two records, through update, restoreCollection, reconcile, retention and hard delete', async () => {
    const t1 = chronos.with(ctx('t1'));
    const t2 = chronos.with(ctx('t2'));
    const id = randomBytes(12).toString('hex');

    const created = await t1.create({ owner: 't1', n: 0, file: b64('one') }, 'a', 'r', { id });
    await t2.create({ owner: 't2', n: 0, file: b64('two') }, 'a', 'r', { id });
    expect(await t1.getLatest(id)).toMatchObject({ owner: 't1', n: 0, file: b64('one') });
    expect(await t2.getLatest(id)).toMatchObject({ owner: 't2', n: 0, file: b64('two') });
    expect(await keys()).toEqual(
      [`t1/${COLLECTION}/${id}/v0/file/blob.bin`, `t1/${COLLECTION}/${id}/v0/item.json`, `t2/${COLLECTION}/${id}/v0/file/blob.bin`, `t2/${COLLECTION}/${id}/v0/item.json`].sort(),
    );

    // t1 writes v1 and v2; t2 has no rows for those versions, which without prefixes its
    // reconcile would have taken for orphans and removed.
    await t1.update(id, { owner: 't1', n: 1, file: b64('one-b') }, 0);
    expect(await t1.restoreCollection({ cv: created.cv })).toMatchObject({ restored: 1 });
    expect(await t1.getLatest(id)).toMatchObject({ owner: 't1', n: 0, file: b64('one'), _system: { ov: 2 } });
    expect(await t2.getLatest(id)).toMatchObject({ owner: 't2', n: 0, file: b64('two'), _system: { ov: 0 } });

    // A payload of t2 without a version row: reconcile removes it, and nothing of t1.
    await raw.put(bucket, `t2/${COLLECTION}/${id}/v7/item.json`, JSON.stringify({ _id: id, stray: true }));
    const reconciled = await chronos.admin.reconcile();
    expect(reconciled.collections.flatMap((c) => c.report.orphansRemoved)).toEqual([{ id, ov: 7 }]);
    expect(await keys(`t1/${COLLECTION}/${id}/`)).toHaveLength(6);
    expect(await keys(`t2/${COLLECTION}/${id}/`)).toEqual([`t2/${COLLECTION}/${id}/v0/file/blob.bin`, `t2/${COLLECTION}/${id}/v0/item.json`]);

    // Retention keeps one version per record: t1 loses v0 and v1, t2 keeps its only version.
    const retained = await chronos.admin.applyRetention();
    expect(retained.versions.reduce((sum, v) => sum + v.report.versionsRemoved, 0)).toBe(2);
    expect(await t2.getVersion(id, 0)).toMatchObject({ owner: 't2', file: b64('two') });
    expect(await keys(`t1/${COLLECTION}/${id}/`)).toEqual([`t1/${COLLECTION}/${id}/v2/file/blob.bin`, `t1/${COLLECTION}/${id}/v2/item.json`]);

    // Erasing t1's record removes t1's objects only.
    const report = await chronos.admin.hardDelete(ctx('t1'), id, { actor: 'dpo', reason: 'erasure request' });
    expect(report).toMatchObject({ status: 'completed', objectsRemoved: 2 });
    expect(await t1.getLatest(id, { includeDeleted: true })).toBeNull();
    expect(await keys(`t1/`)).toEqual([]);
    expect(await t2.getLatest(id)).toMatchObject({ owner: 't2', n: 0, file: b64('two'), _system: { ov: 0 } });
    expect(await keys()).toEqual([`t2/${COLLECTION}/${id}/v0/file/blob.bin`, `t2/${COLLECTION}/${id}/v0/item.json`]);
  });

  it('refuses ids that could name a key outside the tenant, before anything is written', async () => {
    const t1 = chronos.with(ctx('t1'));
    const victim = randomBytes(12).toString('hex');
    await chronos.with(ctx('t2')).create({ owner: 't2', n: 0 }, 'a', 'r', { id: victim });
    const before = await keys();
    const hostile = [`../t2/${COLLECTION}/${victim}`, `${victim}/../../t2`, `t2/${COLLECTION}/${victim}`, '..', `${victim}\u0000`, `${victim}\n`, victim.toUpperCase(), `${victim} `, ''];
    for (const id of hostile) {
      const error = await t1.create({ owner: 't1', n: 0 }, 'a', 'r', { id }).catch((e: unknown) => e);
      expect(error, JSON.stringify(id)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toEqual(['options', 'id']);
    }
    expect(await keys()).toEqual(before);
    expect(await chronos.with(ctx('t2')).getLatest(victim)).toMatchObject({ owner: 't2' });
  });
});

describe('without keyPrefix', () => {
  it('refuses two tenants on one bucket when the instance is created', () => {
    for (const storage of ['s3', 'azure', 'local'] as const) {
      const error = (() => {
        try {
          initChronos(sharedConfig(storage, 'one-bucket', false));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error, storage).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('give each a distinct keyPrefix');
    }
  });

  it('keeps the unprefixed layout for a database alone on its bucket', async () => {
    const config = sharedConfig('local', 'solo-bucket', false);
    config.databases.runtime!.tenantDatabases = config.databases.runtime!.tenantDatabases!.slice(0, 1);
    const chronos = initChronos(config);
    const raw = rawStore(config);
    try {
      const { id } = await chronos.with({ databaseType: 'runtime', tenantId: 't1', collection: COLLECTION }).create({ owner: 't1', n: 0 });
      const found: string[] = [];
      for await (const key of listAllKeys(raw, 'solo-bucket')) found.push(key);
      expect(found).toEqual([`${COLLECTION}/${id}/v0/item.json`]);
    } finally {
      await raw.close();
      await chronos.admin.shutdown();
    }
  });
});
