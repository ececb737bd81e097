/**
 * The public shapes of the messaging database: what `chronos.messaging(tenantId)` returns and
 * what its methods take and give. Every record belongs to exactly one tenant; the tenant is
 * fixed when the API is created and never read from caller data.
 */

/** How `shared.save` keeps a key: `latest` overwrites one document, `append` adds versions 0, 1, 2, … */
export type SharedStrategy = 'latest' | 'append';

/** Input of {@link SharedMemoryApi.save}. */
export interface SharedSaveInput<T = unknown> {
  namespace: string;
  key: string;
  /** JSON (plus Dates) without `$`/`.` keys, as the README's "Values" table says; at most `maxPayloadBytes` as BSON. */
  val: T;
  strategy: SharedStrategy;
}

/** Result of {@link SharedMemoryApi.save}: `version` is set for `append` only. */
export interface SharedSaveResult {
  id: string;
  version?: number;
}

/** Input of {@link SharedMemoryApi.load}. */
export interface SharedLoadInput {
  namespace: string;
  key: string;
  strategy: SharedStrategy;
  /** For `append`: this version; without it, the newest. Refused for `latest`. */
  version?: number;
}

/** Input of {@link SharedMemoryApi.tombstone}. */
export interface SharedTombstoneInput {
  namespace: string;
  key: string;
  /** Why the key was removed; kept in the audit record. */
  reason?: string;
  /** Who removed it; kept in the audit record. */
  actor?: string;
}

/** Result of {@link SharedMemoryApi.tombstone}. */
export interface SharedTombstoneResult {
  /** Id of the audit record in `shared_memory_tombstones`. */
  tombstoneId: string;
  /** Documents removed (all `append` versions plus the `latest` document, if any). */
  removed: number;
}

/** Key/value memory shared by the agents or services of one tenant. */
export interface SharedMemoryApi {
  /** Stores `val` under `(namespace, key)`; `append` claims the next version through a unique index. */
  save<T = unknown>(input: SharedSaveInput<T>): Promise<SharedSaveResult>;
  /** The stored value, or `null` when there is none (a stored `null` also reads as `null`). */
  load<T = unknown>(input: SharedLoadInput): Promise<T | null>;
  /** Removes every version of the key (both strategies) and records who, when and why, without the value. */
  tombstone(input: SharedTombstoneInput): Promise<SharedTombstoneResult>;
}

/** A topic of one tenant. */
export interface TopicRecord {
  tenantId: string;
  topic: string;
  shards: number;
  createdAt: Date;
}

/** Topic registry of one tenant. */
export interface TopicsApi {
  /**
   * Creates the topic if it does not exist (default 1 shard) and returns it. Naming a shard
   * count different from an existing topic's is refused: resharding is not an `ensure`.
   */
  ensure(input: { topic: string; shards?: number }): Promise<TopicRecord>;
  /** The topic, or `null`. */
  get(input: { topic: string }): Promise<TopicRecord | null>;
}

/** Input of {@link MessagesApi.save}. */
export interface MessageSaveInput<P = unknown> {
  topic: string;
  msgId: string;
  headers?: Record<string, unknown>;
  payload: P;
  /** When the message was first seen; default now. */
  firstSeenAt?: Date | string;
  /** Size as the producer measured it; default the payload's BSON size. */
  size?: number;
}

/** A stored message. */
export interface MessageRecord<P = unknown> {
  tenantId: string;
  topic: string;
  msgId: string;
  headers: Record<string, unknown>;
  payload: P;
  firstSeenAt: Date;
  size: number;
}

/** One page of a list; pass `nextCursor` as `after` for the next page (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Input of the `list` methods: `after` is the previous page's `nextCursor`; `limit` defaults to 100, at most 1,000. */
export interface ListInput {
  topic: string;
  after?: string;
  limit?: number;
}

/** Warm/audit store of messages, idempotent on `(tenantId, topic, msgId)`. */
export interface MessagesApi {
  /** Stores the message once; a duplicate `msgId` on the topic is ignored (`inserted: false`), not an error. */
  save<P = unknown>(input: MessageSaveInput<P>): Promise<{ inserted: boolean }>;
  /** The message, or `null`. */
  get<P = unknown>(input: { topic: string; msgId: string }): Promise<MessageRecord<P> | null>;
  /** Messages of a topic in `msgId` order; the cursor is the last `msgId` of the page. */
  list<P = unknown>(input: ListInput): Promise<Page<MessageRecord<P>>>;
}

/** Status of one delivery attempt. */
export type DeliveryStatus = 'pending' | 'ack' | 'nack' | 'dead';

/** Input of {@link DeliveriesApi.append}. */
export interface DeliveryInput {
  topic: string;
  subscription: string;
  msgId: string;
  /** Attempt number, from 0 or 1 as the consumer counts. */
  attempt: number;
  status: DeliveryStatus;
  consumerId?: string;
  reason?: string;
  /** Default now. */
  ts?: Date | string;
}

/** A stored delivery record. */
export interface DeliveryRecord {
  tenantId: string;
  topic: string;
  subscription: string;
  msgId: string;
  attempt: number;
  status: DeliveryStatus;
  consumerId?: string;
  reason?: string;
  ts: Date;
}

/** Delivery log, present only when `captureDeliveries` is true. */
export interface DeliveriesApi {
  /** Records one status of one attempt; the same `(subscription, msgId, attempt, status)` again is ignored. */
  append(input: DeliveryInput): Promise<{ inserted: boolean }>;
  /** Deliveries of a message, by subscription, then attempt, then time. */
  listByMessage(input: { topic: string; msgId: string; subscription?: string }): Promise<DeliveryRecord[]>;
}

/** Input of {@link DeadLettersApi.save}. */
export interface DeadLetterInput<P = unknown> {
  topic: string;
  subscription?: string;
  msgId: string;
  headers?: Record<string, unknown>;
  payload: P;
  /** How many delivery attempts were made before the message was given up. */
  deliveries: number;
  reason?: string;
  /** Default now. */
  failedAt?: Date | string;
}

/** A stored dead letter. */
export interface DeadLetterRecord<P = unknown> {
  id: string;
  tenantId: string;
  topic: string;
  subscription?: string;
  msgId: string;
  headers: Record<string, unknown>;
  payload: P;
  deliveries: number;
  reason?: string;
  failedAt: Date;
}

/** Messages given up on; each save is a new record. */
export interface DeadLettersApi {
  save<P = unknown>(input: DeadLetterInput<P>): Promise<{ id: string }>;
  /** Dead letters of a topic in id order (roughly save order); the cursor is the last `id` of the page. */
  list<P = unknown>(input: ListInput): Promise<Page<DeadLetterRecord<P>>>;
}

/** Everything `chronos.messaging(tenantId)` gives, with `deliveries` only when `captureDeliveries` is on. */
export interface MessagingApi {
  readonly tenantId: string;
  readonly shared: SharedMemoryApi;
  readonly topics: TopicsApi;
  readonly messages: MessagesApi;
  readonly deliveries?: DeliveriesApi;
  readonly deadLetters: DeadLettersApi;
}

/** Options of {@link createMessagingApi}, from `databases.messaging` in the config. */
export interface MessagingOptions {
  /** Give `m.deliveries` and write the `deliveries` collection. */
  captureDeliveries: boolean;
  /** Largest BSON size of one `val`, `payload` or `headers`; default 262,144 (256 KB). */
  maxPayloadBytes?: number;
}
