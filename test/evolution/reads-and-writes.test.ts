/**
 * A collection evolved through eight declaration revisions (see `people-revisions.ts`), with
 * records written through the engine at every revision: once the current declaration is
 * revision 8, every read path answers in it (upcast, then parsed by the current schema), the
 * stored versions stay as written (a raw read shows them), a version that cannot be brought
 * forward raises an UpcastError, and enrich, update and restore of old records write versions
 * valid today. Real FerretDB and a local folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CollectionRepository, UpcastError, atRevision, defineCollection, initChronos, type Chronos, type ChronosConfig, type CollectionOps } from '../../runtime/index.js';
import { testConfig } from '../support/chronos-config.js';
import { peopleAt, recordAt, schemaV8 } from './people-revisions.js';

const CURRENT = 8;
const revisions = [1, 2, 3, 4, 5, 6, 7, 8] as const;
type Revision = (typeof revisions)[number];

let base: ChronosConfig;
const instances: Chronos[] = [];
/** Ids written at each revision (two per revision, the second of them deleted at revision 8 in one test). */
const written = new Map<Revision, string[]>();

function opsAt(revision: Revision, collection = 'people'): CollectionOps {
  const chronos = initChronos({ ...base, collections: [atRevision(peopleAt[revision], revision)] });
  instances.push(chronos);
  return chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection });
}

/** The record's data as the current declaration, strictly: no field it does not name, every field it requires. */
function assertCurrent(record: Record<string, unknown> | null): void {
  expect(record).not.toBeNull();
  const { _id, _system, ...data } = record as Record<string, unknown>;
  expect(schemaV8.strict().safeParse(data).error?.issues ?? []).toEqual([]);
}

let current: CollectionOps;

beforeAll(async () => {
  base = testConfig('local');
  for (const revision of revisions) {
    const ops = opsAt(revision);
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) ids.push((await ops.create(recordAt[revision](i), 'test', `written at revision ${revision}`)).id);
    written.set(revision, ids);
  }
  current = opsAt(CURRENT);
});

afterAll(async () => {
  for (const chronos of instances) await chronos.admin.shutdown();
});

const idAt = (revision: Revision, i = 0) => written.get(revision)![i]!;

describe('revisions are recorded', () => {
  it('tags every version with the revision it was written under, in _system and in history', async () => {
    for (const revision of revisions) {
      const raw = await current.getLatest(idAt(revision), { raw: true });
      expect(raw?._system.revision).toBe(revision);
      expect((await current.history(idAt(revision))).map((v) => v.revision)).toEqual([revision]);
    }
  });

  it('records the current revision on update, enrich and restore, and the copied revision on a logical delete', async () => {
    const id = idAt(1, 1);
    await current.enrich(id, { city: 'York' });
    await current.delete(id);
    await current.restoreObject(id, { ov: 0 });
    expect((await current.history(id)).map((v) => [v.ov, v.revision])).toEqual([[0, 1], [1, 8], [2, 8], [3, 8]]);
  });

  it('reads a version written before revisions were recorded as revision 1', async () => {
    const undeclared = initChronos(base);
    instances.push(undeclared);
    const legacy = undeclared.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'people' });
    const { id } = await legacy.create(recordAt[1](7));
    expect((await legacy.getLatest(id))?._system.revision).toBeUndefined();
    const read = await current.getLatest(id);
    expect(read?._system.revision).toBe(1);
    assertCurrent(read);
    expect(read).toMatchObject({ fullName: 'Ann 7', age: 31 });
    await current.delete(id);
    expect((await current.history(id)).map((v) => v.revision)).toEqual([1, 1]);
    assertCurrent(await current.getVersion(id, 1));
  });

  it('records nothing for a collection without a declaration', async () => {
    const untyped = opsAt(CURRENT, 'untyped_things');
    const { id } = await untyped.create({ anything: 1 });
    expect((await untyped.getLatest(id))?._system.revision).toBeUndefined();
    expect((await untyped.history(id))[0]?.revision).toBeUndefined();
  });
});

describe('every read answers in the current declaration', () => {
  it('getLatest, getVersion, getAsOf and getWithEntities of records from every revision', async () => {
    for (const revision of revisions) {
      const id = idAt(revision);
      const [version] = await current.history(id);
      assertCurrent(await current.getLatest(id));
      assertCurrent(await current.getVersion(id, 0));
      assertCurrent(await current.getAsOf(id, version!.at));
      assertCurrent((await current.getWithEntities(id, [])).mainRecord);
    }
  });

  it('carries each change through the upcasters, defaults applied', async () => {
    expect(await current.getLatest(idAt(1))).toMatchObject({ fullName: 'Ann 0', age: 31, status: 'inactive', country: 'ZZ', email: 'unknown@example.invalid', score: 0 });
    expect(await current.getLatest(idAt(1))).not.toHaveProperty('nickname');
    expect(await current.getLatest(idAt(2))).toMatchObject({ fullName: 'Bob 0', age: 42, status: 'active', city: 'Leeds', email: 'bob@example.com' });
    expect(await current.getLatest(idAt(8))).toMatchObject({ fullName: 'Hal 0', age: 98, score: 5 });
  });

  it('listByMeta pages and createMany records', async () => {
    const many = await current.createMany([recordAt[8](10), recordAt[8](11)]);
    const page = await current.listByMeta({ limit: 100 });
    expect(page.items.length).toBeGreaterThanOrEqual(revisions.length * 2 + many.length - 1);
    for (const item of page.items) assertCurrent(item);
    for (const { id } of many) expect((await current.getLatest(id))?._system.revision).toBe(CURRENT);
  });

  it('history lists each version with its revision, and a raw read gives the payload as stored', async () => {
    const raw = await current.getVersion(idAt(1), 0, { raw: true });
    expect(raw).toMatchObject({ name: 'Ann 0', age: '31', status: 'banned', nickname: 'annie' });
    expect(raw).not.toHaveProperty('fullName');
    const repository = new CollectionRepository(current, peopleAt[CURRENT]);
    expect(await repository.getRaw(idAt(1), { ov: 0 })).toMatchObject({ _id: idAt(1), _system: { ov: 0, revision: 1 }, data: { name: 'Ann 0', age: '31' } });
    expect((await repository.getRaw(idAt(8)))?.data).toMatchObject({ fullName: 'Hal 0', age: 98 });
  });

  it('a version an upcaster cannot bring forward raises an UpcastError naming it, never a silent cast', async () => {
    const ops = opsAt(4);
    const { id } = await ops.create({ fullName: 'Ivy', age: 'not a number', status: 'active', country: 'NL' });
    const error = await current.getLatest(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpcastError);
    expect(error).toMatchObject({ code: 'UPCAST_FAILED', collection: 'people', id, ov: 0, revision: 4, targetRevision: CURRENT });
    expect((error as UpcastError).issues.map((i) => i.path.join('.'))).toContain('age');
    expect((await current.getLatest(id, { raw: true }))?.age).toBe('not a number');
  });
});

describe('writes on old data produce versions valid today', () => {
  it('enrich merges onto the upcast latest version', async () => {
    const id = idAt(3);
    await current.enrich(id, { city: 'Bath' });
    const stored = await current.getLatest(id, { raw: true });
    expect(stored?._system.revision).toBe(CURRENT);
    assertCurrent(stored);
    expect(stored).toMatchObject({ fullName: 'Cy 0', city: 'Bath', age: 23, country: 'GB', status: 'inactive' });
  });

  it('update replaces old data with current data', async () => {
    const id = idAt(5);
    await current.update(id, { fullName: 'Ed 0', age: 66, status: 'active', country: 'DE', email: 'ed@example.com' });
    assertCurrent(await current.getLatest(id, { raw: true }));
  });

  it('restore of a version from an old revision writes it upcast and valid', async () => {
    const id = idAt(2);
    await current.update(id, { fullName: 'Bob 0', age: 43, status: 'inactive', country: 'GB', email: 'b@example.com' });
    await current.restoreObject(id, { ov: 0 });
    const restored = await current.getLatest(id, { raw: true });
    expect(restored?._system).toMatchObject({ ov: 2, revision: CURRENT });
    assertCurrent(restored);
    expect(restored).toMatchObject({ fullName: 'Bob 0', age: 42, city: 'Leeds' });
  });

  it('a process on an older revision refuses to enrich or restore a version of a newer one (it would drop its new fields)', async () => {
    const older = opsAt(7);
    const id = idAt(8, 1);
    // A read parses it with revision 7's schema, which knows no `score`.
    expect(await older.getLatest(id)).toMatchObject({ fullName: 'Hal 1', age: 98 });
    expect(await older.getLatest(id)).not.toHaveProperty('score');
    const error = await older.enrich(id, { city: 'Porto' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpcastError);
    expect(error).toMatchObject({ revision: 8, targetRevision: 7 });
    await expect(older.restoreObject(id, { ov: 0 })).rejects.toBeInstanceOf(UpcastError);
    expect((await current.history(id)).length).toBe(1);
  });

  it('entity upserts record the revision of the entity collection', async () => {
    const teams = opsAt(CURRENT, 'teams');
    const mapping = { property: 'lead', collection: 'people', keyProperty: 'fullName' };
    await teams.insertWithEntities({ name: 'blue', lead: recordAt[8](20) }, [mapping]);
    const [lead] = (await current.listByMeta({ filter: { fullName: 'Hal 20' } })).items;
    expect(lead?._system.revision).toBe(CURRENT);
  });

  it('restore of a version that cannot be brought forward is refused and writes nothing', async () => {
    const ops = opsAt(4);
    const { id } = await ops.create({ fullName: 'Jo', age: 'old', status: 'active', country: 'NL' });
    await ops.update(id, { fullName: 'Jo', age: '12', status: 'active', country: 'NL' });
    await expect(current.restoreObject(id, { ov: 0 })).rejects.toBeInstanceOf(UpcastError);
    expect((await current.history(id)).length).toBe(2);
  });
});

describe('tiered fetches merge records of every revision in the current declaration', () => {
  it('getKnowledge with merge: a generic record of revision 1 and a domain record of revision 2', async () => {
    const placement = { databaseType: 'knowledge', tiers: ['generic', 'domain'] } as const;
    const v1 = defineCollection({ name: 'facts', schema: z.object({ key: z.string(), size: z.string() }), indexedProps: ['key'], placement });
    const v2 = defineCollection({
      name: 'facts',
      schema: z.object({ key: z.string(), size: z.number(), unit: z.string().default('cm') }),
      indexedProps: ['key'],
      placement,
      upcasters: { 2: (v: { key: string; size: string }) => ({ ...v, size: Number(v.size) }) },
    });
    const first = initChronos({ ...base, collections: [atRevision(v1, 1)] });
    const second = initChronos({ ...base, collections: [atRevision(v2, 2)] });
    instances.push(first, second);
    await first.with({ databaseType: 'knowledge', tier: 'generic', collection: 'facts' }).create({ key: 'k', size: '12' });
    await second.with({ databaseType: 'knowledge', tier: 'domain', domain: 'retail', collection: 'facts' }).create({ key: 'k', size: 14, unit: 'mm' });
    const merged = await second.getKnowledge('facts', { key: 'k' }, { domain: 'retail', merge: true });
    expect(merged.data).toEqual({ key: 'k', size: 14, unit: 'mm' });
    const generic = await second.getKnowledge('facts', { key: 'k' });
    expect(generic.data).toEqual({ key: 'k', size: 12, unit: 'cm' });
  });
});
