/**
 * Object-version claims: the compare-and-set of identity updates and deletes, built on a unique
 * index because FerretDB's updates are read-modify-write (not atomic across connections).
 *
 * A writer that wants to move record incarnation `headId` from ov n to n+1 first inserts
 * `(tenantId, headId, n+1)` into `<collection>_claims` under a unique index. Exactly one writer
 * succeeds; only it writes the record, so its write has no concurrent writer to race with. Old
 * claims are pruned after each write (at most a couple per record remain), so this is not a
 * version history.
 */
import { ObjectId } from 'mongodb';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { claims, type IdentityContext } from './documents.js';

/** Outcome of {@link claimOv}: the claim's id when won. */
export type ClaimOutcome = { won: true; claimId: string } | { won: false };

/**
 * Tries to claim `ov` of `headId`. A claim held longer than `claimLeaseMs` is presumed
 * abandoned (its writer crashed between claiming and writing) and is taken over once.
 */
export async function claimOv(ctx: IdentityContext, headId: string, ov: number): Promise<ClaimOutcome> {
  const coll = claims(ctx);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const claimId = new ObjectId().toHexString();
    try {
      await coll.insert(claimId, headId, ov, new Date());
      return { won: true, claimId };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await coll.holder(headId, ov);
    const abandoned = holder !== null && Date.now() - holder.at.getTime() > ctx.claimLeaseMs;
    if (!abandoned) return { won: false };
    // Deleting by the holder's own _id: of several writers taking over, each deletes at most
    // that one claim, and the unique index then picks one of them on the next insert.
    await coll.remove(holder._id);
  }
  return { won: false };
}

/** Gives a claim back when the write it guarded did not happen, so it blocks nobody. */
export async function releaseClaim(ctx: IdentityContext, claimId: string): Promise<void> {
  await claims(ctx).remove(claimId);
}

/**
 * Removes the claims of `headId` below `ov` (all of them when `ov` is omitted). A pruned claim
 * can only be claimed again by a writer whose view of the record is stale, and that writer's
 * record write matches nothing because it is guarded by the old ov as well.
 */
export async function pruneClaims(ctx: IdentityContext, headId: string, ov?: number): Promise<void> {
  await claims(ctx).removeBelow(headId, ov);
}
