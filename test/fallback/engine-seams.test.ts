/**
 * The two engine options the fallback queue builds on (added to runtime/ops for it):
 * `CreateOptions.id` (a caller-chosen id) and `opId` (recorded on the version row a write makes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { openFallbackFixture } from './support/fallback-fixture.js';
import type { FallbackFixture } from './support/fallback-fixture.js';

let fx: FallbackFixture;
beforeAll(async () => {
  fx = await openFallbackFixture();
});
afterAll(async () => {
  await fx.teardown();
});

const verRows = () => fx.db.collection<{ id: string; ov: number; opId?: string }>('orders_ver');

describe('creating with a chosen id', () => {
  it('gives the record that id, and refuses a second create of it with a ConflictError carrying its ov', async () => {
    const id = '0123456789abcdef0123abcd';
    expect(await fx.ops.create({ status: 'new' }, undefined, undefined, { id })).toMatchObject({ id, ov: 0 });
    await expect(fx.ops.create({ status: 'again' }, undefined, undefined, { id })).rejects.toMatchObject({ code: 'CONFLICT', currentOv: 0 });
    expect(await fx.ops.getLatest(id)).toMatchObject({ status: 'new' });
  });

  it('refuses an id that is not 24 hex characters, naming options.id, before writing anything', async () => {
    const error = await fx.ops.create({ status: 'new' }, undefined, undefined, { id: 'ABC' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(['options', 'id']);
    expect(await verRows().countDocuments({ id: 'ABC' })).toBe(0);
  });
});

describe('tagging a write with an opId', () => {
  it('records the opId on the version row of each kind of write', async () => {
    const { id } = await fx.ops.create({ status: 'new' }, undefined, undefined, { opId: 'op-c' });
    await fx.ops.update(id, { status: 'paid' }, 0, undefined, undefined, { opId: 'op-u' });
    await fx.ops.enrich(id, { note: 'x' }, { opId: 'op-e' });
    await fx.ops.delete(id, 2, undefined, undefined, { opId: 'op-d' });
    const rows = await verRows().find({ id }, { sort: { ov: 1 } }).toArray();
    expect(rows.map((r) => [r.ov, r.opId])).toEqual([
      [0, 'op-c'],
      [1, 'op-u'],
      [2, 'op-e'],
      [3, 'op-d'],
    ]);
  });

  it('refuses an empty or oversized opId with a ValidationError naming options.opId', async () => {
    const { id } = await fx.ops.create({ status: 'new' });
    for (const opId of ['', 'x'.repeat(201)]) {
      const error = await fx.ops.update(id, { status: 'paid' }, 0, undefined, undefined, { opId }).catch((e: unknown) => e);
      expect((error as ValidationError).issues[0]?.path).toEqual(['options', 'opId']);
    }
    expect(await fx.ops.history(id)).toHaveLength(1);
  });
});
