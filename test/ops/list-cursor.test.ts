/**
 * The listByMeta cursor is an opaque typed value checked with zod on the way in,
 * and filter values are JSON only. A tampered cursor or a non-JSON filter value is a
 * ValidationError naming `afterId` or the value's path; nothing of it reaches the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON, Code } from 'mongodb';
import { ValidationError } from '../../runtime/errors.js';
import type { EngineCollectionOps } from '../../runtime/ops/collection-ops.js';
import { openFixture, type Fixture } from './support/fixture.js';

let fx: Fixture;
let ops: EngineCollectionOps;

beforeAll(async () => {
  fx = await openFixture('local');
  ops = fx.ops('cursors', { settings: { indexedProps: ['orderId', 'amount'] } });
  for (let i = 0; i < 6; i += 1) await ops.create({ orderId: `O-${i}`, amount: i * 10 });
});
afterAll(async () => {
  await fx.teardown();
});

async function validationPaths(call: () => Promise<unknown>): Promise<Array<Array<string | number>>> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error, String(error)).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => [...i.path]);
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('opaque, validated cursors', () => {
  it('pages through a sort with its own cursors', async () => {
    const first = await ops.listByMeta({ limit: 4, sort: { amount: -1 } });
    const second = await ops.listByMeta({ limit: 4, sort: { amount: -1 }, afterId: first.nextCursor! });
    expect([...first.items, ...second.items].map((r) => r['amount'])).toEqual([50, 40, 30, 20, 10, 0]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a cursor carrying operators or a BSON Code (the old EJSON form), and the connection stays usable', async () => {
    const id = 'f'.repeat(24);
    const withOperator = b64(BSON.EJSON.stringify([{ $ne: null }, id], { relaxed: false }));
    const withCode = b64(BSON.EJSON.stringify([new Code('while(true){}'), id], { relaxed: false }));
    const typedOperator = b64(JSON.stringify({ v: 1, f: 'meta.amount', d: -1, k: { t: 'j', v: { $gt: '' } }, i: id }));
    const typedCodeTag = b64(JSON.stringify({ v: 1, f: 'meta.amount', d: -1, k: { t: 'n', v: { $code: 'x' } }, i: id }));
    for (const afterId of [withOperator, withCode, typedOperator, typedCodeTag, 'not base64 !', '', 'x'.repeat(10)]) {
      expect(await validationPaths(() => ops.listByMeta({ sort: { amount: -1 }, afterId }))).toEqual([['afterId']]);
    }
    expect((await ops.listByMeta({ limit: 1 })).items).toHaveLength(1);
  });

  it('refuses a cursor of another sort, a changed cursor, and a non-id cursor of the default order', async () => {
    const page = await ops.listByMeta({ limit: 2, sort: { amount: -1 } });
    const cursor = page.nextCursor!;
    expect(await validationPaths(() => ops.listByMeta({ sort: { amount: 1 }, afterId: cursor }))).toEqual([['afterId']]);
    expect(await validationPaths(() => ops.listByMeta({ sort: { orderId: -1 }, afterId: cursor }))).toEqual([['afterId']]);
    expect(await validationPaths(() => ops.listByMeta({ afterId: cursor }))).toEqual([['afterId']]);
    const changed = b64(Buffer.from(cursor, 'base64url').toString('utf8').replace('"v":1', '"v":2'));
    expect(await validationPaths(() => ops.listByMeta({ sort: { amount: -1 }, afterId: changed }))).toEqual([['afterId']]);
    expect(await validationPaths(() => ops.listByMeta({ afterId: { $gt: '' } as never }))).toEqual([['afterId']]);
  });

  it('refuses non-JSON filter values: a RegExp literal, a BSON Code, NaN, a function', async () => {
    expect(await validationPaths(() => ops.listByMeta({ filter: { orderId: /O-/ } as never }))).toEqual([['filter', 'orderId']]);
    expect(await validationPaths(() => ops.listByMeta({ filter: { orderId: { $in: [/O-/] } } as never }))).toEqual([['filter', 'orderId', '$in', 0]]);
    expect(await validationPaths(() => ops.listByMeta({ filter: { orderId: new Code('1') } as never }))).toEqual([['filter', 'orderId']]);
    expect(await validationPaths(() => ops.listByMeta({ filter: { amount: { $gt: Number.NaN } } }))).toEqual([['filter', 'amount', '$gt']]);
    expect(await validationPaths(() => ops.listByMeta({ filter: { amount: (() => 1) as never } }))).toEqual([['filter', 'amount']]);
    expect(await validationPaths(() => ops.listByMeta({ filter: { orderId: { nested: { $where: 'x' } } } as never }))).toContainEqual(['filter', 'orderId', 'nested', '$where']);
    expect(await validationPaths(() => ops.listByMeta({ filter: { orderId: { nested: { 'a.b': 1 } } } as never }))).toEqual([['filter', 'orderId', 'nested', 'a.b']]);
    expect((await ops.listByMeta({ filter: { orderId: { $in: ['O-1', 'O-2'] } } })).items).toHaveLength(2);
  });

  it('pages through a sort field holding several types (null, missing, numbers, strings, objects, booleans) without losing any', async () => {
    const mixed = fx.ops('cursors_mixed', { settings: { indexedProps: ['rank'] } });
    const values: unknown[] = [null, undefined, 1, 2.5, 'a', 'b', { x: 1 }, true, false, 1, 'a'];
    for (const rank of values) await mixed.create(rank === undefined ? { other: 1 } : { rank });
    for (const dir of [1, -1] as const) {
      const all = (await mixed.listByMeta({ limit: 100, sort: { rank: dir } })).items.map((r) => r._id);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await mixed.listByMeta({ limit: 2, sort: { rank: dir }, ...(cursor ? { afterId: cursor } : {}) });
        paged.push(...page.items.map((r) => r._id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(all).toHaveLength(values.length);
      expect(paged).toEqual(all);
    }
  });
});

