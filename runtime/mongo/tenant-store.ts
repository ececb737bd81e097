/**
 * What the tenant-scoped stores share: one collection, the tenant every query is filtered by,
 * and the plain insert of a whole document (whose duplicate-key error the caller interprets).
 */
import type { Collection, Db, Document, OptionalUnlessRequiredId } from 'mongodb';

/** Base of a store over one collection whose documents belong to one tenant. */
export abstract class TenantStore<T extends Document> {
  protected readonly coll: Collection<T>;

  constructor(db: Db, name: string, protected readonly tenantId: string) {
    this.coll = db.collection<T>(name);
  }

  /** Inserts `doc`; a duplicate of a unique key throws the driver's duplicate-key error. */
  async insert(doc: OptionalUnlessRequiredId<T>): Promise<void> {
    await this.coll.insertOne(doc);
  }
}
