/** The one builder of new version rows (`runtime/ops/version-row.ts`). */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../runtime/ops/engine.js';
import { firstVersionSystem, pendingRow } from '../../runtime/ops/version-row.js';

const claimedAt = new Date('2026-01-02T03:04:05.000Z');
const engine = { now: () => claimedAt, leaseMs: 5_000 } as unknown as Engine;
const at = new Date('2026-01-02T03:04:04.000Z');

describe('pendingRow', () => {
  it('claims the version for this writer now, with the claim token as opId when the caller gave none', () => {
    const row = pendingRow(engine, { id: 'r1', system: firstVersionSystem(at), at, kind: 'create' });
    expect(row).toEqual({
      ...firstVersionSystem(at),
      id: 'r1',
      at,
      state: 'pending',
      claim: expect.any(String),
      claimedAt,
      kind: 'create',
      meta: {},
      opId: row.claim,
    });
  });

  it("keeps the caller's opId and notes, and leaves out the ones not given", () => {
    const row = pendingRow(engine, { id: 'r1', system: { ...firstVersionSystem(at), ov: 3 }, at, kind: 'restore', opId: 'op-7', actor: 'ana', reason: undefined, restoredFrom: 1 });
    expect(row).toMatchObject({ ov: 3, opId: 'op-7', actor: 'ana', restoredFrom: 1 });
    expect(Object.hasOwn(row, 'reason')).toBe(false);
    expect(Object.hasOwn(row, 'leaseUntil')).toBe(false);
  });

  it('sets the lease only when asked (claims inserted without claimVersion)', () => {
    const row = pendingRow(engine, { id: 'r1', system: firstVersionSystem(at), at, kind: 'create', leased: true });
    expect(row.leaseUntil).toEqual(new Date(claimedAt.getTime() + 5_000));
  });

  it('gives every row its own claim', () => {
    const fields = { id: 'r1', system: firstVersionSystem(at), at, kind: 'create' as const };
    expect(pendingRow(engine, fields).claim).not.toBe(pendingRow(engine, fields).claim);
  });
});
