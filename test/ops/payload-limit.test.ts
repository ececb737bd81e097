/**
 * The document size limit (`maxPayloadBytes`) is measured on the bytes the store writes for the
 * data it writes: the application data as serialised in item.json plus each base64 prop's decoded
 * blob, after the declared schema's output (defaults, transforms) is known. The data written is
 * exactly the copy that was checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import type { EngineCollectionOps } from '../../runtime/ops/collection-ops.js';
import { openFixture, type Fixture } from './support/fixture.js';
import { snapshot } from './support/invariants.js';

const LIMIT = 4096;
let fx: Fixture;

beforeAll(async () => {
  fx = await openFixture('local');
});
afterAll(async () => {
  await fx.teardown();
});

/** The application data as item.json holds it, re-serialised without the engine's envelope. */
async function storedDataBytes(coll: string, id: string): Promise<number> {
  const item = JSON.parse(Buffer.from(await fx.store.get(fx.bucket, `${coll}/${id}/v0/item.json`)).toString('utf8')) as Record<string, unknown>;
  const { _id: _omitId, _system: _omitSystem, ...data } = item;
  return Buffer.byteLength(JSON.stringify(data), 'utf8');
}

/** A document of exactly `bytes` bytes of JSON: {"s":"xxx…"} (8 bytes of framing). */
function docOf(bytes: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const framing = Buffer.byteLength(JSON.stringify({ ...extra, s: '' }), 'utf8');
  return { ...extra, s: 'x'.repeat(bytes - framing) };
}

async function refusal(call: () => Promise<unknown>): Promise<ValidationError> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('maxPayloadBytes bounds the bytes written', () => {
  it('accepts data of exactly the limit as stored in item.json, and refuses one byte more with nothing written', async () => {
    const coll = 'limit_exact';
    const ops = fx.ops(coll, { settings: { maxPayloadBytes: LIMIT } });
    const { id } = await ops.create(docOf(LIMIT));
    expect(await storedDataBytes(coll, id)).toBe(LIMIT);
    const before = await snapshot(fx, coll);
    const error = await refusal(() => ops.create(docOf(LIMIT + 1)));
    expect(error.issues[0]?.path).toEqual(['data']);
    expect(error.issues[0]?.message).toContain(`${LIMIT + 1} bytes`);
    expect(await refusal(() => ops.enrich(id, { s: 'x'.repeat(LIMIT) }))).toBeInstanceOf(ValidationError);
    expect(await snapshot(fx, coll)).toEqual(before);
  });

  it('counts a base64 prop as its decoded blob, not as its base64 text', async () => {
    const coll = 'limit_blob';
    const ops = fx.ops(coll, { settings: { maxPayloadBytes: LIMIT, base64Props: { file: { contentType: 'application/octet-stream' } } } });
    const blob = Buffer.alloc(LIMIT - 100, 7);
    // 5,336 characters of base64 text, 3,996 bytes of blob: within the limit as stored.
    const { id } = await ops.create({ name: 'a', file: blob.toString('base64') });
    expect((await fx.store.get(fx.bucket, `${coll}/${id}/v0/file/blob.bin`)).length).toBe(blob.length);
    expect(await refusal(() => ops.create({ name: 'a'.repeat(100), file: blob.toString('base64') }))).toBeInstanceOf(ValidationError);
  });

  it('measures the declared schema output (defaults, transforms), which is what is written', async () => {
    const coll = 'limit_schema';
    const grow = (data: Record<string, unknown>) => ({ ...data, padding: 'p'.repeat(LIMIT) });
    const ops: EngineCollectionOps = fx.ops(coll, { settings: { maxPayloadBytes: LIMIT, validate: grow } });
    const before = await snapshot(fx, coll);
    expect((await refusal(() => ops.create({ small: 1 }))).issues[0]?.path).toEqual(['data']);
    const nan = fx.ops(coll, { settings: { validate: (data) => ({ ...data, ratio: Number.NaN }) } });
    expect((await refusal(() => nan.create({ small: 1 }))).issues[0]?.path).toEqual(['data', 'ratio']);
    expect(await snapshot(fx, coll)).toEqual(before);
  });
});
