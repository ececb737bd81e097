/**
 * The collections and indexes of the messaging database, the single source for the API (which
 * creates them on its first write) and `chronos migrate` (which prints and applies them).
 *
 * Every index starts with `tenantId`, so each query (always filtered by tenant) has an equality
 * prefix. The unique ones are what the API's guarantees rest on: FerretDB's updates are not
 * atomic across connections, but its unique indexes are.
 */
import type { IndexSpec } from '../mongo/index-spec.js';

/** Collection names of the messaging database. */
export const MESSAGING_COLLECTIONS = {
  shared: 'shared_memory',
  sharedTombstones: 'shared_memory_tombstones',
  topics: 'topics',
  messages: 'messages',
  deliveries: 'deliveries',
  deadLetters: 'dead_letters',
} as const;

/**
 * Every index of the messaging database, in a deterministic order. Query shapes served:
 * - shared load/append: `{ tenantId, namespace, key, strategy }` sorted by `version` (unique: the version claim);
 *   `latest` documents have a deterministic `_id`, so they need no index of their own.
 * - tombstone audit by key: `{ tenantId, namespace, key, at }`.
 * - topics get/ensure: `{ tenantId, topic }` (unique: the ensure claim).
 * - messages get/list: `{ tenantId, topic, msgId }` (unique: the idempotency key, and the list order).
 * - deliveries listByMessage: `{ tenantId, topic, msgId, subscription, attempt }` (unique with `status`).
 * - dead letters list: `{ tenantId, topic, _id }`.
 */
export function messagingIndexes(): IndexSpec[] {
  const c = MESSAGING_COLLECTIONS;
  return [
    {
      collection: c.shared,
      name: 'chronos_tenant_ns_key_strategy_version',
      key: { tenantId: 1, namespace: 1, key: 1, strategy: 1, version: 1 },
      unique: true,
    },
    {
      collection: c.sharedTombstones,
      name: 'chronos_tenant_ns_key_at',
      key: { tenantId: 1, namespace: 1, key: 1, at: 1 },
    },
    { collection: c.topics, name: 'chronos_tenant_topic', key: { tenantId: 1, topic: 1 }, unique: true },
    {
      collection: c.messages,
      name: 'chronos_tenant_topic_msgid',
      key: { tenantId: 1, topic: 1, msgId: 1 },
      unique: true,
    },
    {
      collection: c.deliveries,
      name: 'chronos_tenant_topic_msgid_sub_attempt_status',
      key: { tenantId: 1, topic: 1, msgId: 1, subscription: 1, attempt: 1, status: 1 },
      unique: true,
    },
    { collection: c.deadLetters, name: 'chronos_tenant_topic_id', key: { tenantId: 1, topic: 1, _id: 1 } },
  ];
}
