/**
 * Declarations that normalize their input: `z.preprocess(fn, schema)` and a pipe between two
 * schemas (`z.string().pipe(z.email())`). What `parse` returns is what is stored, and stored data
 * is parsed again when it is enriched or restored, so these paths must accept their own output.
 * Real FerretDB and a local folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError, initChronos, type Chronos, type CollectionOps } from '../../runtime/index.js';
import { defineCollection } from '../../runtime/schema/index.js';
import { testConfig } from '../support/chronos-config.js';

const upperTrimmed = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : v);
const numeric = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);

const tickets = defineCollection({
  name: 'tickets',
  schema: z.object({
    code: z.preprocess(upperTrimmed, z.string().min(2)),
    level: z.preprocess(numeric, z.number().int()),
    contact: z.string().pipe(z.email()),
    note: z.string().optional(),
  }),
  indexedProps: ['code', 'level'],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
});

let chronos: Chronos;
let ops: CollectionOps;

beforeAll(() => {
  chronos = initChronos(testConfig('local', { collections: [tickets] }));
  ops = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'tickets' });
});

afterAll(async () => {
  await chronos?.admin.shutdown();
});

describe('a declaration that normalizes its input', () => {
  it('stores the normalized value, and indexes and filters by it', async () => {
    const { id } = await ops.create({ code: ' ab-1 ', level: '3', contact: 'a@example.com' });
    expect(await ops.getLatest(id)).toMatchObject({ code: 'AB-1', level: 3 });
    const found = await ops.listByMeta({ filter: { code: 'AB-1', level: 3 } });
    expect(found.items.map((r) => r._id)).toEqual([id]);
  });

  it('enriches and restores: the stored values parse again to themselves', async () => {
    const { id } = await ops.create({ code: 'cd-2', level: 1, contact: 'b@example.com' });
    await ops.enrich(id, { note: 'seen' });
    await ops.update(id, { code: 'cd-3', level: '2', contact: 'c@example.com' }, 1);
    await ops.restoreObject(id, { ov: 0 });
    const latest = await ops.getLatest(id);
    expect(latest).toMatchObject({ code: 'CD-2', level: 1, contact: 'b@example.com', _system: { ov: 3 } });
    expect(latest).not.toHaveProperty('note');
  });

  it('refuses what the schema after the normalization refuses, naming the field, and writes nothing', async () => {
    const error = await ops.create({ code: 'x', level: 'high', contact: 'not-an-email' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual(['data.code', 'data.contact', 'data.level']);
    expect((await ops.listByMeta({ filter: { code: 'X' } })).items).toEqual([]);
  });
});
