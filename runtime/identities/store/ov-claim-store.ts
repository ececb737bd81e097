/**
 * One tenant's ov claims of an identities collection (`<collection>_claims`, see
 * `ov-claim.ts`): every query on the claims collection lives in this file.
 */
import type { Collection, Db } from 'mongodb';
import type { OvClaimDoc } from '../documents.js';

/** Access to the ov claims of one tenant in one identities collection. */
export class OvClaimStore {
  private readonly coll: Collection<OvClaimDoc>;

  constructor(db: Db, name: string, private readonly tenantId: string) {
    this.coll = db.collection<OvClaimDoc>(name);
  }

  /** Inserts claim `_id` on `(headId, ov)`; a claim held already throws the driver's duplicate-key error. */
  async insert(claimId: string, headId: string, ov: number, at: Date): Promise<void> {
    await this.coll.insertOne({ _id: claimId, tenantId: this.tenantId, headId, ov, at });
  }

  /** The claim on `(headId, ov)`, or null. */
  async holder(headId: string, ov: number): Promise<OvClaimDoc | null> {
    return this.coll.findOne({ tenantId: this.tenantId, headId, ov });
  }

  /** Removes the claim `claimId`. */
  async remove(claimId: string): Promise<void> {
    await this.coll.deleteOne({ _id: claimId, tenantId: this.tenantId });
  }

  /** Removes the claims of `headId` below `ov`, or all of them when `ov` is omitted. */
  async removeBelow(headId: string, ov?: number): Promise<void> {
    await this.coll.deleteMany({ tenantId: this.tenantId, headId, ...(ov === undefined ? {} : { ov: { $lt: ov } }) });
  }
}
