/**
 * The one place stores are built and the Mongo collection names behind them derived. Code
 * outside the stores never names a Mongo collection or sends a query: it asks this factory for
 * the store that owns the collection and calls its named methods (the lint rule in
 * `scripts/lint/store-boundary.js` keeps it so).
 */
import type { Db } from 'mongodb';
import { mongoNames } from '../ops/context.js';
import { HeadStore } from '../ops/store/head-store.js';
import { VersionStore } from '../ops/store/version-store.js';
import { cvAllocatorFor, type CvAllocator } from '../ops/store/cv-allocator.js';
import { SettlementLocks } from '../ops/store/settlement-locks.js';
import { BackfillMarkerStore } from '../ops/store/backfill-marker-store.js';
import { ErasureAuditStore } from '../ops/store/erasure-audit-store.js';
import { FallbackQueueStore } from '../fallback/store/queue-store.js';
import { OpLeases } from '../fallback/store/op-lease.js';
import { FALLBACK_LEASES_COLLECTION } from '../fallback/store/indexes.js';
import { FALLBACK_OPS_COLLECTION } from '../fallback/types.js';
import { HeadQueryStore } from '../analytics/store/head-query-store.js';
import { IndexStore } from './index-store.js';
import { CounterStore } from '../counters/store/counter-store.js';
import { CounterJournalStore } from '../counters/store/counter-journal.js';
import { RuleResultStore } from '../analytics/store/rule-result-store.js';
import { BATCH_COLLECTION, SEEN_COLLECTION, TOTALS_COLLECTION, UNIQUE_COLLECTION } from '../counters/counter-keys.js';
import { IdentityStore } from '../identities/store/identity-store.js';
import { OvClaimStore } from '../identities/store/ov-claim-store.js';
import { claimsCollectionName } from '../identities/documents.js';
import { MESSAGING_COLLECTIONS } from '../messaging/indexes.js';
import { SharedMemoryStore } from '../messaging/store/shared-memory-store.js';
import { TopicStore } from '../messaging/store/topic-store.js';
import { MessageStore } from '../messaging/store/message-store.js';
import { DeliveryStore } from '../messaging/store/delivery-store.js';
import { DeadLetterStore } from '../messaging/store/dead-letter-store.js';

/** The Mongo collection holding each collection's meta backfill progress. */
const META_BACKFILLS_COLLECTION = 'chronos_meta_backfills';

/** Default name of the erasure audit collection, kept in the same database as the erased record. */
export const ERASURES_COLLECTION = 'chronos_erasures';

/** The engine's stores of one Chronos collection. */
export interface VersionedStores {
  heads: HeadStore;
  ver: VersionStore;
  cvs: CvAllocator;
  locks: SettlementLocks;
}

/**
 * The stores behind Chronos collection `collection` in `db` (`<collection>_head`, `_ver`,
 * `_counter`, `_locks`). Cheap: no I/O; refuses an unsafe collection name (a ValidationError).
 */
export function versionedStores(db: Db, collection: string): VersionedStores {
  const names = mongoNames(collection);
  const ver = new VersionStore(db, names.ver);
  return { heads: new HeadStore(db, names.head), ver, cvs: cvAllocatorFor(db, names.counter, ver), locks: new SettlementLocks(db, names.locks) };
}

/** The heads of `collection` alone (reads of another collection's heads, as lineage does). */
export function headStore(db: Db, collection: string): HeadStore {
  return new HeadStore(db, mongoNames(collection).head);
}

/** The version rows of `collection` alone. */
export function versionStore(db: Db, collection: string): VersionStore {
  return new VersionStore(db, mongoNames(collection).ver);
}

/** Read-only queries on the heads of `collection`, for analytics rules. */
export function headQueryStore(db: Db, collection: string): HeadQueryStore {
  return new HeadQueryStore(db, mongoNames(collection).head);
}

/** The counter collections (`cnt_total`, `cnt_unique`, `cnt_seen`) of analytics database `db`. */
export function counterStore(db: Db): CounterStore {
  return new CounterStore(db, { totals: TOTALS_COLLECTION, unique: UNIQUE_COLLECTION, seen: SEEN_COLLECTION });
}

/** The counter batch journal (`cnt_batch`) of analytics database `db`. */
export function counterJournalStore(db: Db): CounterJournalStore {
  return new CounterJournalStore(db, BATCH_COLLECTION);
}

/** The rule results in collection `name` of analytics database `db`. */
export function ruleResultStore<T extends { _id: string; timestamp: Date }>(db: Db, name: string): RuleResultStore<T> {
  return new RuleResultStore<T>(db, name);
}

/** The meta backfill markers of `db`. */
export function backfillMarkerStore(db: Db): BackfillMarkerStore {
  return new BackfillMarkerStore(db, META_BACKFILLS_COLLECTION);
}

/** The erasure audit rows of `db`, in `name` (default {@link ERASURES_COLLECTION}). */
export function erasureAuditStore(db: Db, name: string = ERASURES_COLLECTION): ErasureAuditStore {
  return new ErasureAuditStore(db, name);
}

/** The fallback queue of `db` whose dead letters live in `deadLetterCollection`. */
export function fallbackQueueStore(db: Db, deadLetterCollection: string): FallbackQueueStore {
  return new FallbackQueueStore(db, FALLBACK_OPS_COLLECTION, deadLetterCollection);
}

/** The replay leases of the fallback queue of `db`. */
export function opLeaseStore(db: Db, leaseMs: number, now: () => Date): OpLeases {
  return new OpLeases(db, FALLBACK_LEASES_COLLECTION, leaseMs, now);
}

/** Tenant `tenantId`'s records in identities collection `collection` of `db`. */
export function identityStore(db: Db, collection: string, tenantId: string): IdentityStore {
  return new IdentityStore(db, collection, tenantId);
}

/** Tenant `tenantId`'s ov claims of identities collection `collection` of `db` (`<collection>_claims`). */
export function ovClaimStore(db: Db, collection: string, tenantId: string): OvClaimStore {
  return new OvClaimStore(db, claimsCollectionName(collection), tenantId);
}

/** Tenant `tenantId`'s shared memory in messaging database `db`. */
export function sharedMemoryStore(db: Db, tenantId: string): SharedMemoryStore {
  return new SharedMemoryStore(db, MESSAGING_COLLECTIONS.shared, MESSAGING_COLLECTIONS.sharedTombstones, tenantId);
}

/** Tenant `tenantId`'s topics in messaging database `db`. */
export function topicStore(db: Db, tenantId: string): TopicStore {
  return new TopicStore(db, MESSAGING_COLLECTIONS.topics, tenantId);
}

/** Tenant `tenantId`'s messages in messaging database `db`. */
export function messageStore(db: Db, tenantId: string): MessageStore {
  return new MessageStore(db, MESSAGING_COLLECTIONS.messages, tenantId);
}

/** Tenant `tenantId`'s delivery records in messaging database `db`. */
export function deliveryStore(db: Db, tenantId: string): DeliveryStore {
  return new DeliveryStore(db, MESSAGING_COLLECTIONS.deliveries, tenantId);
}

/** Tenant `tenantId`'s dead letters in messaging database `db`. */
export function deadLetterStore(db: Db, tenantId: string): DeadLetterStore {
  return new DeadLetterStore(db, MESSAGING_COLLECTIONS.deadLetters, tenantId);
}

/** The index commands of `db` (listing, creating and dropping indexes), for `chronos migrate`. */
export function indexStore(db: Db): IndexStore {
  return new IndexStore(db);
}
