/**
 * Bad input (docs/design.md, "Promises"): bad input gets a typed error naming the field, and
 * nothing is written — the suite compares the raw collections and the bucket before and after each
 * refused call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../runtime/errors.js';
import type { EngineCollectionOps } from '../../runtime/ops/collection-ops.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { snapshot } from './support/invariants.js';

describe.each(BACKENDS)('bad input (%s storage)', (backend) => {
  let fx: Fixture;
  let ops: EngineCollectionOps;
  let id: string;
  const coll = 'strict';
  beforeAll(async () => {
    fx = await openFixture(backend);
    ops = fx.ops(coll, {
      settings: { indexedProps: ['status'], requiredIndexed: ['status'], maxPayloadBytes: 1024, base64Props: { file: { contentType: 'image/png' } } },
    });
    ({ id } = await ops.create({ status: 'ok' }));
  });
  afterAll(async () => {
    await fx.teardown();
  });

  /** Runs `call`, expects `error` with an issue at `path`, and checks nothing changed. */
  async function refuses(call: () => Promise<unknown>, path: Array<string | number>, error: typeof ValidationError | typeof ConflictError = ValidationError) {
    const before = await snapshot(fx, coll);
    const counter = await fx.db.collection(`${coll}_counter`).findOne({});
    const err = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(error);
    if (err instanceof ValidationError) expect(err.issues.map((i) => i.path)).toContainEqual(path);
    expect(await snapshot(fx, coll)).toEqual(before);
    expect(await fx.db.collection(`${coll}_counter`).findOne({})).toEqual(counter);
  }

  describe('ids', () => {
    it.each([['not-an-id'], ['0123456789ABCDEF01234567'], [''], [42]])('refuses the id %s', async (bad) => {
      await refuses(() => ops.update(bad as string, { status: 'x' }), ['id']);
      await refuses(() => ops.getLatest(bad as string), ['id']);
      await refuses(() => ops.delete(bad as string), ['id']);
      await refuses(() => ops.enrich(bad as string, { a: 1 }), ['id']);
    });
  });

  describe('versions', () => {
    it('refuses a negative or fractional ov', async () => {
      await refuses(() => ops.update(id, { status: 'x' }, -1), ['expectedOv']);
      await refuses(() => ops.update(id, { status: 'x' }, 0.5), ['expectedOv']);
      await refuses(() => ops.getVersion(id, -2), ['ov']);
      await refuses(() => ops.restoreObject(id, { ov: -1 }), ['target', 'ov']);
      await refuses(() => ops.restoreCollection({ cv: -1 }), ['target', 'cv']);
    });

    it('refuses an expectedOv in the future with a ConflictError and answers a future getVersion with null', async () => {
      await refuses(() => ops.update(id, { status: 'x' }, 99), [], ConflictError);
      expect(await ops.getVersion(id, 99)).toBeNull();
    });
  });

  describe('times', () => {
    it.each([['yesterday'], ['2024-13-45T00:00:00Z'], [''], [new Date('nope')]])('refuses the time %s', async (bad) => {
      await refuses(() => ops.getAsOf(id, bad as string), ['at']);
      await refuses(() => ops.restoreObject(id, { at: bad as string }), ['target', 'at']);
      await refuses(() => ops.restoreCollection({ at: bad as string }), ['target', 'at']);
    });
  });

  describe('documents', () => {
    it('refuses _system in input instead of stripping it', async () => {
      await refuses(() => ops.create({ status: 'x', _system: { ov: 7 } }), ['data', '_system']);
      await refuses(() => ops.update(id, { status: 'x', _system: { deleted: true } }), ['data', '_system']);
      await refuses(() => ops.enrich(id, { _system: { ov: 1 } }), ['patch', '_system']);
    });

    it('refuses a document over maxPayloadBytes and says the limit', async () => {
      const err = await ops.create({ status: 'x', big: 'y'.repeat(2000) }).catch((e: unknown) => e);
      expect(String((err as Error).message)).toContain('limit of 1024 bytes');
      await refuses(() => ops.create({ status: 'x', big: 'y'.repeat(2000) }), ['data']);
      await refuses(() => ops.enrich(id, { big: 'y'.repeat(2000) }), ['patch']);
    });

    it('refuses a missing required indexed prop, a non-object, and a bad base64 prop', async () => {
      await refuses(() => ops.create({ other: 1 }), ['data', 'status']);
      await refuses(() => ops.update(id, { status: null }), ['data', 'status']);
      await refuses(() => ops.create([1, 2] as never), ['data']);
      await refuses(() => ops.create({ status: 'x', file: 'not base64!' }), ['data', 'file']);
      await refuses(() => ops.create({ status: 'x', n: 10n } as never), ['data', 'n']);
    });

    it('refuses bad lineage and bad options', async () => {
      await refuses(() => ops.create({ status: 'x' }, undefined, undefined, { parentRecord: { id: '', collection: 'c' } }), ['options', 'parentRecord', 'id']);
      await refuses(() => ops.create({ status: 'x' }, undefined, undefined, { parentRecord: { id: 'p', collection: '$bad' } }), ['collection']);
      await refuses(() => ops.getLatest(id, { ttlSeconds: 0 }), ['options', 'ttlSeconds']);
      await refuses(() => ops.enrich(id, []), ['patch']);
    });
  });

  describe('filters', () => {
    it.each([
      ['$where at the top', { $where: 'sleep(1000)' }, ['filter', '$where']],
      ['$where nested in $or', { $or: [{ status: 'a' }, { $where: 'true' }] }, ['filter', '$or', 1, '$where']],
      ['$function in a value', { status: { $eq: { $function: { body: 'x' } } } }, ['filter', 'status', '$eq', '$function']],
      ['$accumulator deep in an array', { status: { $in: [{ $accumulator: {} }] } }, ['filter', 'status', '$in', 0, '$accumulator']],
      ['an unknown operator', { status: { $regex: '.*' } }, ['filter', 'status', '$regex']],
      ['a prop that is not indexed', { email: 'a@b.c' }, ['filter', 'email']],
      ['an unknown _system field', { '_system.secret': 1 }, ['filter', '_system.secret']],
    ])('refuses %s', async (_label, filter, path) => {
      await refuses(() => ops.listByMeta({ filter }), path as Array<string | number>);
    });

    it('names the indexed props when a filter uses another one', async () => {
      const err = (await ops.listByMeta({ filter: { email: 'x' } }).catch((e: unknown) => e)) as Error;
      expect(err.message).toContain('indexed props (status)');
    });

    it('refuses a bad limit, sort or cursor', async () => {
      await refuses(() => ops.listByMeta({ limit: 0 }), ['limit']);
      await refuses(() => ops.listByMeta({ limit: 5000 }), ['limit']);
      await refuses(() => ops.listByMeta({ sort: { email: 1 } }), ['sort', 'email']);
      await refuses(() => ops.listByMeta({ afterId: 'garbage' }), ['afterId']);
    });
  });
});
