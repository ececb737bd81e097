/**
 * A writer that read a head long ago and claims a version whose row was pruned since (versioning
 * off keeps only the newest row) must not move the head backwards: its commit lands only on the
 * head it built on. Run step by step: the writer waits after its head read while other versions land.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../runtime/errors.js';
import { holdAt } from './support/hold-at.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

const pruning = { settings: { versioning: false } };

describe.each(BACKENDS)('a writer whose head read is older than the pruned rows (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('retries on the newest head instead of moving the head back, when it gave no expectedOv', async () => {
    const coll = 'stale_plain';
    const ops = fx.ops(coll, pruning);
    const { id } = await ops.create({ n: 'v0' });
    const hold = holdAt('head-read', 'update');
    const stale = fx.ops(coll, { ...pruning, faults: hold.hook }).update(id, { n: 'stale' });
    await hold.reached;
    await ops.update(id, { n: 'v1' }, 0);
    await ops.update(id, { n: 'v2' }, 1);
    expect(await fx.db.collection(`${coll}_ver`).countDocuments({ id, ov: 1 })).toBe(0);
    hold.release();
    expect((await stale).ov).toBe(3);
    expect(await ops.getLatest(id)).toMatchObject({ n: 'stale', _system: { ov: 3 } });
    expect(await violations(fx, coll)).toEqual([]);
  });

  it('is a ConflictError with the current version when it gave expectedOv, and the newest version stays', async () => {
    const coll = 'stale_cas';
    const ops = fx.ops(coll, pruning);
    const { id } = await ops.create({ n: 'v0' });
    const hold = holdAt('head-read', 'update');
    const stale = fx.ops(coll, { ...pruning, faults: hold.hook }).update(id, { n: 'stale' }, 0);
    await hold.reached;
    await ops.update(id, { n: 'v1' }, 0);
    await ops.update(id, { n: 'v2' }, 1);
    hold.release();
    const error = await stale.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).currentOv).toBe(2);
    expect(await ops.getLatest(id)).toMatchObject({ n: 'v2', _system: { ov: 2 } });
    expect(await violations(fx, coll)).toEqual([]);
  });

  it('refuses a create under the id of a record whose version 0 was pruned, leaving the record as it was', async () => {
    const coll = 'stale_create';
    const ops = fx.ops(coll, pruning);
    const { id } = await ops.create({ n: 'v0' });
    await ops.update(id, { n: 'v1' }, 0);
    expect(await fx.db.collection(`${coll}_ver`).countDocuments({ id, ov: 0 })).toBe(0);
    await expect(ops.create({ n: 'impostor' }, undefined, undefined, { id })).rejects.toBeInstanceOf(ConflictError);
    expect(await ops.getLatest(id)).toMatchObject({ n: 'v1', _system: { ov: 1 } });
    expect(await violations(fx, coll)).toEqual([]);
  });
});
