/**
 * The write path shared by `update` and `delete`: read the record, check `expectedOv`, claim
 * the next ov, apply the write guarded by the old ov, prune old claims. Without `expectedOv`
 * a lost claim is retried on a fresh read (last writer wins, no write is lost).
 */
import { ConflictError, NotFoundError } from '../errors.js';
import { startRetries } from '../retry/policy.js';
import { IDENTITY_OV_CONTENTION } from '../retry/schedules.js';
import { records, type IdentityContext, type IdentityDoc } from './documents.js';
import { claimOv, pruneClaims, releaseClaim } from './ov-claim.js';

/** What {@link writeNextOv} did: the record as it was read and the ov the write took. */
export interface NextOvWrite {
  before: IdentityDoc;
  ov: number;
}

/**
 * Runs `apply(before, nextOv)` as the only writer of `nextOv` for record `id`. `apply` returns
 * false when its guarded write matched nothing (the record changed or vanished).
 */
export async function writeNextOv(
  ctx: IdentityContext,
  id: string,
  expectedOv: number | undefined,
  apply: (before: IdentityDoc, nextOv: number) => Promise<boolean>,
): Promise<NextOvWrite> {
  const coll = records(ctx);
  const currentOv = async () => (await coll.ovOf(id)) ?? -1;
  const tries = startRetries(IDENTITY_OV_CONTENTION);
  for (;;) {
    const before = await coll.get(id);
    if (!before) {
      if (expectedOv === undefined) throw new NotFoundError(`${ctx.collection} ${id} does not exist in tenant ${ctx.tenantId}`);
      throw new ConflictError(`${ctx.collection} ${id} does not exist (expected ov ${expectedOv})`, -1, expectedOv);
    }
    if (expectedOv !== undefined && before.ov !== expectedOv) {
      throw conflict(ctx, id, before.ov, expectedOv);
    }
    const nextOv = before.ov + 1;
    const claim = await claimOv(ctx, before._id, nextOv);
    if (claim.won) {
      if (await apply(before, nextOv)) {
        await pruneClaims(ctx, before._id, nextOv);
        return { before, ov: nextOv };
      }
      await releaseClaim(ctx, claim.claimId);
    }
    if (expectedOv !== undefined) {
      // The claim holder is writing nextOv right now; report that as the current ov.
      const now = await currentOv();
      throw conflict(ctx, id, now === -1 ? -1 : Math.max(now, nextOv), expectedOv);
    }
    // The pause gives the claim holder a turn to write before a re-read can see it.
    if (!(await tries.next())) throw conflict(ctx, id, await currentOv(), undefined);
  }
}

function conflict(ctx: IdentityContext, id: string, currentOv: number, expectedOv: number | undefined): ConflictError {
  const expected = expectedOv === undefined ? '' : ` (expected ${expectedOv})`;
  return new ConflictError(
    `${ctx.collection} ${id} is at ov ${currentOv}${expected}: another writer changed it; re-read and retry with the current ov`,
    currentOv,
    expectedOv,
  );
}
