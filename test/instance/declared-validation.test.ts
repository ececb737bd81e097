/**
 * Every write path validates a declared collection with its zod schema (docs/design.md, "Decisions
 * the code relies on"): `with()`, typed repositories, `createMany`, entity upserts, the merged
 * result of `enrich` and fallback replays. Wrong types carry zod's paths, unknown fields are
 * refused by name, nothing is written, and what a typed read returns is what the schema says. Real
 * FerretDB and a local folder.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CollectionRepository, ValidationError, initChronos, type Chronos, type CollectionOps } from '../../runtime/index.js';
import { testConfig } from '../support/chronos-config.js';
import { declared, gadgets } from '../support/declared-fixture.js';

let chronos: Chronos;
let ops: CollectionOps;

beforeAll(() => {
  chronos = initChronos(testConfig('local', { collections: declared }));
  ops = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'gadgets' });
});

afterAll(async () => {
  await chronos?.admin.shutdown();
});

async function refused(write: Promise<unknown>): Promise<ValidationError> {
  const error = await write.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const paths = (error: ValidationError) => error.issues.map((i) => i.path.join('.'));

describe('chronos.with() validates a declared collection', () => {
  it('refuses a wrong type with its zod path, and writes nothing', async () => {
    const error = await refused(ops.create({ sku: 'W-1', qty: 'many' }));
    expect(paths(error)).toEqual(['data.qty']);
    expect((await ops.listByMeta({ filter: { sku: 'W-1' } })).items).toEqual([]);
  });

  it('refuses unknown fields, naming each, at any depth', async () => {
    const error = await refused(ops.create({ sku: 'W-2', qty: 1, colour: 'red', spec: { color: 'red', size: 3 } }));
    expect(paths(error).sort()).toEqual(['data.colour', 'data.spec.size']);
    expect(error.message).toMatch(/unknown field "colour"/);
  });

  it('runs the schema refinements', async () => {
    const error = await refused(ops.create({ sku: 'W-3', qty: 5, maxQty: 2 }));
    expect(error.issues).toMatchObject([{ path: ['data', 'qty'], message: 'qty exceeds maxQty' }]);
  });

  it('stores the parsed record, so a read returns what the schema says (defaults applied)', async () => {
    const { id } = await ops.create({ sku: 'W-4', qty: 3 });
    expect(await ops.getLatest(id)).toMatchObject({ sku: 'W-4', qty: 3, maxQty: 100 });
  });

  it('refuses an update that breaks the schema and keeps the old version', async () => {
    const { id } = await ops.create({ sku: 'W-5', qty: 1 });
    await refused(ops.update(id, { sku: 'W-5' }, 0));
    expect((await ops.getLatest(id))?._system.ov).toBe(0);
  });

  it('validates every record of createMany before writing the first', async () => {
    const error = await refused(ops.createMany([{ sku: 'W-6', qty: 1 }, { sku: 'W-7', qty: -1 }]));
    expect(paths(error)).toEqual(['records[1].qty']);
    expect((await ops.listByMeta({ filter: { sku: { $in: ['W-6', 'W-7'] } } })).items).toEqual([]);
  });

  it('validates the merged result of enrich, refinements included', async () => {
    const { id } = await ops.create({ sku: 'W-8', qty: 5 });
    const error = await refused(ops.enrich(id, { maxQty: 4 }));
    expect(error.issues).toMatchObject([{ path: ['data', 'qty'], message: 'qty exceeds maxQty' }]);
    await refused(ops.enrich(id, { extra: true }));
    await ops.enrich(id, { spec: { color: 'blue' } });
    expect(await ops.getLatest(id)).toMatchObject({ spec: { color: 'blue' }, _system: { ov: 1 } });
  });

  it('validates entities upserted by insertWithEntities against their own declaration', async () => {
    const mappings = [{ property: 'maker', collection: 'makers', keyProperty: 'makerId', databaseType: 'knowledge' as const, tier: 'domain' as const }];
    // Entities are saved first: the maker is refused by the makers declaration, so neither it nor the gadget is stored.
    const error = await refused(ops.insertWithEntities({ sku: 'W-9', qty: 1, maker: { makerId: 'M-1', name: 'Acme', founded: 1900 } }, mappings));
    expect(paths(error)).toEqual(['data.founded']);
    expect(error.message).toMatch(/Invalid makers record/);
    expect((await ops.listByMeta({ filter: { sku: 'W-9' } })).items).toEqual([]);
    const makersOps = chronos.with({ databaseType: 'knowledge', tier: 'domain', domain: 'retail', collection: 'makers' });
    expect((await makersOps.listByMeta({ filter: { makerId: 'M-1' } })).items).toEqual([]);
  });
});

describe('entity mappings come from the declaration', () => {
  it('saves and reads the declared entities when the untyped call names no mappings', async () => {
    const { mainRecordId, entityResults } = await ops.insertWithEntities({ sku: 'E-1', qty: 1, maker: { makerId: 'M-9', name: 'Bolt & Co' } }, undefined);
    expect(entityResults.get('maker')?.operation).toBe('created');
    const read = await ops.getWithEntities(mainRecordId);
    expect(read.entityRecords.get('maker')).toMatchObject({ makerId: 'M-9', country: 'GB' });
  });
});

describe('typed repositories with refined schemas', () => {
  it('creates, enriches and reads back a record of a refined schema', async () => {
    const repo = new CollectionRepository<Record<string, unknown>, Record<string, unknown>, Record<string, never>, { sku: 1 | -1 }>(ops, gadgets);
    const { id } = await repo.create({ sku: 'T-1', qty: 2 });
    await repo.enrich(id, { note: 'checked' });
    expect(await repo.getLatest(id)).toMatchObject({ sku: 'T-1', qty: 2, note: 'checked', maxQty: 100 });
    const error = await refused(repo.create({ sku: 'T-2', qty: 1, unexpected: 1 }));
    expect(paths(error)).toEqual(['unexpected']);
  });

  it('runs the schema once for a typed write, and once for an untyped one', async () => {
    const repo = new CollectionRepository<Record<string, unknown>, Record<string, unknown>, Record<string, never>, { sku: 1 | -1 }>(ops, gadgets);
    const parses = vi.spyOn(gadgets.schema, 'safeParse');
    try {
      await repo.create({ sku: 'T-4', qty: 1 });
      expect(parses).toHaveBeenCalledTimes(1);
      await repo.createMany([{ sku: 'T-5', qty: 1 }, { sku: 'T-6', qty: 2 }]);
      expect(parses).toHaveBeenCalledTimes(3);
      await ops.create({ sku: 'T-7', qty: 1 });
      expect(parses).toHaveBeenCalledTimes(4);
    } finally {
      parses.mockRestore();
    }
  });

  it('words a refusal by the declaration the same from the typed repository and from the engine', async () => {
    const repo = new CollectionRepository<Record<string, unknown>, Record<string, unknown>, Record<string, never>, { sku: 1 | -1 }>(ops, gadgets);
    const headline = (error: ValidationError) => error.message.split('\n')[0];
    const typed = await refused(repo.create({ sku: 'T-3', qty: 'many' }));
    const untyped = await refused(ops.create({ sku: 'T-3', qty: 'many' }));
    expect(headline(typed)).toBe("Invalid gadgets record (it does not match the collection's declaration)");
    expect(headline(untyped)).toBe(headline(typed));
  });
});

describe('fallback replays are validated too', () => {
  it('sends a queued write that breaks the declaration to the dead letters instead of storing it', async () => {
    const fallback = initChronos(testConfig('local', { collections: declared, fallback: { enabled: true, maxRetries: 0, retryDelayMs: 1 } }));
    try {
      const route = { collection: 'gadgets', databaseType: 'runtime', tier: 'tenant', tenantId: 'acme' };
      const db = fallback.config.databases.runtime?.tenantDatabases[0]?.dbName as string;
      const handle = fallback.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'gadgets' });
      // A write queued by an earlier process, before the declaration said `qty` is a number.
      const id = '0123456789abcdef01234567';
      const { MongoClient } = await import('mongodb');
      const client = new MongoClient(process.env.MONGODB_URI as string);
      try {
        await client.db(db).collection('chronos_fallback_ops').insertOne({
          _id: 'op-declared-1' as never,
          kind: 'create',
          recordId: id,
          route,
          write: JSON.stringify({ kind: 'create', id, data: { sku: 'F-1', qty: 'lots' } }),
          attempts: 0,
          enqueuedAt: new Date(0),
          nextAttemptAt: new Date(0),
          lastError: { name: 'StorageError', message: 'earlier outage', at: new Date(0) },
        });
      } finally {
        await client.close();
      }
      await fallback.fallback.drain();
      expect(await handle.getLatest(id)).toBeNull();
      const dead = await fallback.fallback.deadLetters();
      expect(JSON.stringify(dead)).toMatch(/op-declared-1/);
    } finally {
      await fallback.admin.shutdown();
    }
  });
});
