/**
 * `chronos.admin.versionLog`: a record's versions newest first, a page at a time, with the kind
 * of write and the functionIds of each; `chronos.admin.collections`: the versioned collections
 * that exist. Against the real servers; the page query is checked against the declared indexes.
 */
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initChronos, isChronosError, type Chronos } from '../../runtime/index.js';
import type { EngineContext } from '../../runtime/ops/context.js';
import { requiredIndexes } from '../../runtime/ops/indexes.js';
import { servingIndex, shapeOf } from '../../runtime/ops/query-shape.js';
import { readVersionLog } from '../../runtime/instance/version-log.js';
import { testConfig } from '../support/chronos-config.js';
import { mongoUri } from '../support/fresh-db.js';

const ctx = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'orders' } as const;
let chronos: Chronos;
let id: string;

beforeAll(async () => {
  chronos = initChronos(testConfig('local'));
  const orders = chronos.with(ctx);
  ({ id } = await orders.create({ orderId: 'A-1', status: 'placed' }, 'api', 'checkout'));
  await orders.update(id, { orderId: 'A-1', status: 'paid' }, 0, 'billing', 'payment');
  await orders.enrich(id, { tags: ['vip'] }, { functionId: 'scorer@v1' });
  await orders.delete(id, 2, 'support', 'customer asked');
  await orders.restoreObject(id, { ov: 2 }, 'support', 'undo');
  for (let ov = 5; ov < 12; ov++) await orders.enrich(id, { step: ov });
});

afterAll(async () => {
  await chronos.admin.shutdown();
});

describe('chronos.admin.versionLog', () => {
  it('gives the newest versions first with their kind, actor, reason and functionIds', async () => {
    const page = await chronos.admin.versionLog(ctx, id, { beforeOv: 5 });
    expect(page.nextBeforeOv).toBeUndefined();
    expect(page.items.map((v) => [v.ov, v.kind, v.deleted, v.actor, v.reason, v.functionIds, v.restoredFrom])).toEqual([
      [4, 'restore', false, 'support', 'undo', ['scorer@v1'], 2],
      [3, 'delete', true, 'support', 'customer asked', ['scorer@v1'], undefined],
      [2, 'enrich', false, undefined, undefined, ['scorer@v1'], undefined],
      [1, 'update', false, 'billing', 'payment', [], undefined],
      [0, 'create', false, 'api', 'checkout', [], undefined],
    ]);
  });

  it('pages through the whole history with nextBeforeOv, each version once', async () => {
    const seen: number[] = [];
    let beforeOv: number | undefined;
    let pages = 0;
    do {
      const page = await chronos.admin.versionLog(ctx, id, { limit: 5, ...(beforeOv !== undefined && { beforeOv }) });
      seen.push(...page.items.map((v) => v.ov));
      beforeOv = page.nextBeforeOv;
      pages++;
    } while (beforeOv !== undefined);
    expect(seen).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(pages).toBe(3);
  });

  it('agrees with history() on ov, cv and time', async () => {
    const history = await chronos.with(ctx).history(id);
    const log = await chronos.admin.versionLog(ctx, id, { limit: 500 });
    expect(log.items.map(({ ov, cv, at }) => ({ ov, cv, at })).reverse()).toEqual(history.map(({ ov, cv, at }) => ({ ov, cv, at })));
  });

  it('refuses a bad limit or cursor with a ValidationError naming the field', async () => {
    await expect(chronos.admin.versionLog(ctx, id, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('limit') });
    await expect(chronos.admin.versionLog(ctx, id, { beforeOv: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('beforeOv') });
    await expect(chronos.admin.versionLog(ctx, 'nope', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a route the config does not have and an identities context', async () => {
    const refused = await chronos.admin.versionLog({ ...ctx, tenantId: 'nobody' }, id).catch((e: unknown) => e);
    expect(isChronosError(refused) && refused.code).toBe('ROUTE_UNRESOLVED');
    const identities = await chronos.admin.versionLog({ databaseType: 'identities', tenantId: 'acme', collection: 'users' }, id).catch((e: unknown) => e);
    expect(isChronosError(identities) && identities.code).toBe('ROUTE_UNRESOLVED');
  });

  it('sends a head lookup by _id and a row query the { id, ov } index serves, with a limit', async () => {
    const client = new MongoClient(mongoUri(), { monitorCommands: true });
    const finds: CommandStartedEvent[] = [];
    client.on('commandStarted', (e) => e.commandName === 'find' && finds.push(e));
    try {
      const dbName = chronos.config.databases.runtime?.tenantDatabases[0]?.dbName as string;
      const engineCtx = { db: client.db(dbName), collection: 'orders' } as EngineContext;
      const page = await readVersionLog(engineCtx, id, { beforeOv: 9, limit: 3 });
      expect(page.items.map((v) => v.ov)).toEqual([8, 7, 6]);
      const specs = requiredIndexes('orders', { indexedProps: [] });
      const served = finds.map((e) => {
        const cmd = e.command as Record<string, unknown>;
        const shape = shapeOf(String(cmd.find), cmd.filter as Record<string, unknown>, cmd.sort as Map<string, number>);
        return [shape.collection, servingIndex(shape, specs), cmd.limit];
      });
      expect(served).toEqual([
        ['orders_head', '_id_', 1],
        ['orders_ver', 'chronos_id_ov', 4],
      ]);
    } finally {
      await client.close();
    }
  });
});

describe('chronos.admin.collections', () => {
  it('lists the versioned collections that exist with the context that reaches them', async () => {
    const found = await chronos.admin.collections();
    const dbName = chronos.config.databases.runtime?.tenantDatabases[0]?.dbName;
    expect(found).toContainEqual({ context: ctx, dbName });
    expect(found.filter((c) => c.context.collection === 'orders')).toHaveLength(1);
  });
});
