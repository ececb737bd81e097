/**
 * What one ops handle is bound to: the routed database and bucket, the collection, its settings,
 * the observers, and the test seams (clock, sleep, fault hook, head-store wrapper, getAsOf
 * strategy). `chronos.with(ctx)` builds an {@link EngineContext} and passes it to `createCollectionOps`.
 */
import type { Db } from 'mongodb';
import type { ObjectStore } from '../storage/object-store.js';
import type { WriteObserver } from './write-event.js';
import { COLLECTION_SUFFIXES } from './indexes.js';
import { ValidationError } from '../errors.js';
import type { PayloadCompression } from './store/payload-codec.js';
import { NO_COMPRESSION } from './store/payload-codec.js';
import type { DevShadowSettings } from './dev-shadow.js';
import type { RetryPolicy } from '../retry/retry.js';
import type { HeadStore } from './store/head-store.js';

/** How one base64 prop is stored beside its version (`blob.bin`, or `text.txt` when `preferredText`). */
export interface Base64PropSettings {
  /** Content type recorded with the object and given back with presigned URLs. */
  contentType: string;
  /** Store as `text.txt` (the decoded bytes are text in `textCharset`). */
  preferredText?: boolean;
  /** Charset of the decoded text; default `utf-8`. */
  textCharset?: string;
}

/**
 * The per-collection settings the engine honours, already validated by the config layer.
 * Use {@link resolveCollectionSettings} to fill defaults from a partial object.
 */
export interface CollectionSettings {
  /** Props copied to the head (`meta.<prop>`) and filterable in `listByMeta`; empty = every top-level scalar prop. */
  indexedProps: string[];
  /** Props holding base64 content, externalised to their own object per version. */
  base64Props: Record<string, Base64PropSettings>;
  /** Indexed props a write must carry (not undefined or null), checked before anything is stored. */
  requiredIndexed: string[];
  /** `delete` writes a version with `_system.deleted = true` (true) or removes every version (false). */
  logicalDelete: boolean;
  /** Keep every version (true) or only the newest one (false: older versions are pruned after each write). */
  versioning: boolean;
  /** Largest accepted document, in bytes as stored (item.json's data plus decoded base64 blobs, see `store/written-bytes.ts`); see {@link DEFAULT_MAX_PAYLOAD_BYTES}. */
  maxPayloadBytes: number;
  /** gzip of item.json above a size (`writeOptimization.compressionEnabled`); off by default. */
  compression: PayloadCompression;
  /** Copy of the latest document kept in the head for storage-free `getLatest` (`devShadow`); null = off. */
  devShadow: DevShadowSettings | null;
  /**
   * The collection's own check of a whole record (its declared zod schema), run by `checkData` on
   * every write; returns the data to store or throws a ValidationError whose paths start with `path`.
   * `source` is the caller's object `data` was copied from (a typed repository's already-checked
   * record is recognised by it, so the schema runs once per write).
   */
  validate?: (data: Record<string, unknown>, path: Array<string | number>, source?: unknown) => Record<string, unknown>;
  /**
   * The revision of the collection's declaration (see `docs/evolution.md`): recorded on every
   * version written. Absent for a collection without a declaration.
   */
  revision?: number;
  /**
   * Brings the stored data of a version written under an older revision to the current
   * declaration (its upcasters in order, then its schema, defaults applied); throws an
   * UpcastError when it cannot. Called only for versions whose revision is not `revision`.
   */
  upgrade?: (data: Record<string, unknown>, from: number, version: { id: string; ov: number }) => Record<string, unknown>;
}

/** Default document size limit: 8 MiB as stored. Large enough for documents with attachments, small enough to refuse runaway input before it reaches storage. */
const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** Fills the defaults of {@link CollectionSettings} (logical delete and versioning on). */
export function resolveCollectionSettings(partial: Partial<CollectionSettings> = {}): CollectionSettings {
  return {
    indexedProps: partial.indexedProps ?? [],
    base64Props: partial.base64Props ?? {},
    requiredIndexed: partial.requiredIndexed ?? [],
    logicalDelete: partial.logicalDelete ?? true,
    versioning: partial.versioning ?? true,
    maxPayloadBytes: partial.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    compression: partial.compression ?? NO_COMPRESSION,
    devShadow: partial.devShadow ?? null,
    ...(partial.validate && { validate: partial.validate }),
    ...(partial.revision !== undefined && { revision: partial.revision }),
    ...(partial.upgrade && { upgrade: partial.upgrade }),
  };
}

/** Where a handle routes to, copied into every {@link WriteEvent}. */
export interface RouteInfo {
  dbName: string;
  tenantId?: string;
  databaseType: string;
  tier: string;
}

/**
 * The steps of a write, in order. A fault hook is called after each one; tests throw from it to
 * simulate a process that dies at that point (see `write-protocol.md`).
 */
export type WriteStep =
  | 'validated'
  | 'head-read'
  | 'claimed'
  | 'payload-written'
  | 'head-moved'
  // The steps of a hard delete after its claim (`hard-delete-steps.ts`).
  | 'head-removed'
  | 'rows-erased'
  | 'payloads-removed';

/** Internal test seam: called after each {@link WriteStep}; an error thrown here acts as a crash (no cleanup runs). */
export type FaultHook = (step: WriteStep, info: { op: string; id: string; ov: number }) => void | Promise<void>;

/** Everything an ops handle needs; one handle reaches exactly this database and this bucket. */
export interface EngineContext {
  /** The routed database (tenant, domain or generic). */
  db: Db;
  /** The storage client for the routed bucket. */
  store: ObjectStore;
  bucket: string;
  /**
   * The database's `keyPrefix` (config): every object key of the handle starts with
   * `<keyPrefix>/`, so databases sharing a bucket never share a key. Undefined: keys start with
   * the collection.
   */
  keyPrefix?: string;
  /** Chronos collection name; the Mongo collections are `<collection>_head`, `_ver`, `_counter`. */
  collection: string;
  routeInfo: RouteInfo;
  settings: CollectionSettings;
  /** Told about each committed write, after the commit; their failures never undo it. */
  observers: WriteObserver[];
  /** Time source (tests pin it); default `() => new Date()`. */
  clock?: () => Date;
  /**
   * How retry loops wait (tests replace it to move {@link clock} instead of waiting); default a
   * real timer. Budgets are measured on {@link clock}, and never as less than the pauses taken.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Internal: fault injection for tests. */
  faults?: FaultHook;
  /**
   * Internal test seam: wraps the head store of this handle only, so a test can make single
   * calls fail (a reply lost after the write landed, a server that cannot be reached) without
   * touching the class that every other handle shares.
   */
  wrapHeadStore?: (heads: HeadStore) => HeadStore;
  /**
   * Internal test seam: how `getAsOf` and `restoreObject({ at })` find the version current at an
   * instant. `query`: one query on the `{ id, at }` index (what MongoDB serves from it);
   * `lookups`: a binary search over the record's versions by `_id` (what FerretDB, which scans
   * every other query, wants). Default: the one that suits the server (`mongo/server-profile.ts`);
   * tests force each in turn, so both run on every server.
   */
  asOfStrategy?: 'query' | 'lookups';
  /**
   * How long a writer's claim stays valid without renewal (ms); default {@link DEFAULT_LEASE_MS}.
   * A live writer renews it while its write is in flight; a claim whose lease has run out (plus
   * {@link clockSkewMs}) belongs to a dead writer and is settled by the next writer of the record.
   */
  leaseMs?: number;
  /** How far writers' clocks may disagree (ms); default {@link DEFAULT_CLOCK_SKEW_MS}. */
  clockSkewMs?: number;
  /**
   * How long a write without `expectedOv` (and every `enrich`) keeps re-reading and retrying
   * when other writers hold the record (ms); default {@link DEFAULT_WRITE_BUDGET_MS}.
   */
  writeBudgetMs?: number;
  /** How transient failures of single steps are retried; default {@link DEFAULT_RETRY_POLICY}. */
  retry?: RetryPolicy;
}

/** Default lease of a writer on its claimed version: 5 s, so a dead writer blocks its record for at most about 6 s. */
export const DEFAULT_LEASE_MS = 5_000;

/** Default allowance for clock differences between writers: 1 s. */
export const DEFAULT_CLOCK_SKEW_MS = 1_000;

/**
 * Age after which reconcile and the next writer settle a pending claim that carries no lease
 * (written before leases existed): 10 minutes.
 */
export const DEFAULT_GRACE_MS = 10 * 60_000;

/** Default time a contended write keeps trying: 30 s (enough to outlast a dead writer's lease several times). */
export const DEFAULT_WRITE_BUDGET_MS = 30_000;

const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** The Mongo collection names behind a Chronos collection, after checking the name is safe. */
export function mongoNames(collection: string): { head: string; ver: string; counter: string; locks: string } {
  if (!COLLECTION_NAME.test(collection) || collection.startsWith('system.')) {
    throw ValidationError.at(
      ['collection'],
      `"${collection}" is not a valid collection name: use letters, digits, "_", "." or "-" (at most 100), not starting with "system."`,
    );
  }
  return {
    head: collection + COLLECTION_SUFFIXES.head,
    ver: collection + COLLECTION_SUFFIXES.ver,
    counter: collection + COLLECTION_SUFFIXES.counter,
    locks: collection + COLLECTION_SUFFIXES.locks,
  };
}
