/**
 * What every part of one tenant's messaging API shares: the database, the tenant it is bound
 * to, the size limit and the "indexes exist" gate that writes wait on.
 */
import type { Db } from 'mongodb';
import { ensureIndexesOnce } from '../mongo/ensure-indexes.js';
import { messagingIndexes } from './indexes.js';

/** Internal state handed to each messaging module. */
export interface MessagingContext {
  readonly db: Db;
  readonly tenantId: string;
  readonly maxPayloadBytes: number;
  /** Resolves once the unique indexes the writes rely on exist (first write per Db per process). */
  indexesReady(): Promise<void>;
}

/** Builds the context; index creation waits for the first write. */
export function messagingContext(db: Db, tenantId: string, maxPayloadBytes: number): MessagingContext {
  return {
    db,
    tenantId,
    maxPayloadBytes,
    indexesReady: () => ensureIndexesOnce(db, 'messaging', messagingIndexes),
  };
}
