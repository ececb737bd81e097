/**
 * The index commands of a database: listing a collection's indexes, creating one, dropping one.
 * Used by the build-at-first-use of `ensure-indexes.ts` and by `chronos migrate`; no other code
 * sends an index command.
 */
import type { Db, Document } from 'mongodb';
import type { IndexSpec } from './index-spec.js';

/** Access to the indexes of one database. */
export class IndexStore {
  constructor(private readonly db: Db) {}

  /** The indexes of `collection` as the server describes them; throws `NamespaceNotFound` when it does not exist. */
  async list(collection: string): Promise<Document[]> {
    return this.db.collection(collection).listIndexes().toArray();
  }

  /** Names of the indexes `collection` has; none when the collection does not exist yet. */
  async names(collection: string): Promise<Set<string>> {
    try {
      return new Set((await this.list(collection)).map((index) => String(index['name'])));
    } catch (error) {
      if ((error as { codeName?: string }).codeName === 'NamespaceNotFound') return new Set();
      throw error;
    }
  }

  /** Creates the index `spec` (one `createIndex` command). */
  async create(spec: Pick<IndexSpec, 'collection' | 'name' | 'key' | 'unique'>): Promise<void> {
    await this.db.collection(spec.collection).createIndex(spec.key, { name: spec.name, ...(spec.unique ? { unique: true } : {}) });
  }

  /** Drops index `name` of `collection`. */
  async drop(collection: string, name: string): Promise<void> {
    await this.db.collection(collection).dropIndex(name);
  }
}
