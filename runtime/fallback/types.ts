/**
 * The shapes of the fallback queue: what a caller gets back from a write that went through
 * {@link withFallback}, what the queue stores, and what a drain pass reports.
 */
import type { CreateOptions, CreateResult, DeleteResult, UpdateResult } from '../ops/types.js';
import type { ParsedChronosConfig } from '../config/schema.js';

/** The `fallback` section of the configuration after parsing (defaults filled in). */
export type FallbackOptions = NonNullable<ParsedChronosConfig['fallback']>;

/** Name of the queue collection (`chronos_fallback_ops`, as in the original chronos-db). */
export const FALLBACK_OPS_COLLECTION = 'chronos_fallback_ops';

/** The writes the queue can hold. */
export type FallbackWriteKind = 'create' | 'update' | 'delete' | 'enrich';

/**
 * Where a queued write goes: the routing context the caller used with `chronos.with({...})`.
 * Stored with the op and handed back to the queue's resolver at replay time, so it must be plain
 * JSON and must name the route, never a connection.
 */
export interface FallbackRoute {
  collection: string;
  databaseType?: string;
  tier?: string;
  tenantId?: string;
  domain?: string;
  dbName?: string;
  key?: string;
}

/** A write as the queue stores it: everything needed to run it again, already validated once. */
export type QueuedWrite =
  | {
      kind: 'create';
      /** Assigned before the first attempt, so the caller can refer to the record and a replay cannot create a second one. */
      id: string;
      data: Record<string, unknown>;
      actor?: string;
      reason?: string;
      lineage?: Pick<CreateOptions, 'parentRecord' | 'origin'>;
    }
  | { kind: 'update'; id: string; data: Record<string, unknown>; expectedOv?: number; actor?: string; reason?: string }
  | { kind: 'delete'; id: string; expectedOv?: number; actor?: string; reason?: string }
  | {
      kind: 'enrich';
      id: string;
      patch: Record<string, unknown> | Record<string, unknown>[];
      expectedOv?: number;
      functionId?: string;
      actor?: string;
      reason?: string;
    };

/** An error as the queue records it (the last failure of an op). */
export interface FallbackErrorInfo {
  name: string;
  message: string;
  /** The Chronos error code or the server's error code, when there is one. */
  code?: string | number;
  at: Date;
}

/** A document of `chronos_fallback_ops`: one write waiting to be replayed. */
export interface QueuedOpDoc {
  /** The op id: also stored on the version row the write produces (`WriteOptions.opId`). */
  _id: string;
  kind: FallbackWriteKind;
  /** The record the write is about (for a create, its pre-assigned id). */
  recordId: string;
  route: FallbackRoute;
  /** The {@link QueuedWrite} as JSON: application data may hold keys Mongo refuses as field names (`$x`, `a.b`). */
  write: string;
  /** Replays tried so far (the original attempt is not counted). */
  attempts: number;
  enqueuedAt: Date;
  /** Not replayed before this time (the backoff). */
  nextAttemptAt: Date;
  lastError: FallbackErrorInfo;
}

/** A document of the dead-letter collection: an op that will not be replayed again, with why. */
export interface DeadLetterDoc extends QueuedOpDoc {
  deadAt: Date;
  /** `exhausted`: still failing after `maxRetries` replays; `permanent`: failed with an error a retry cannot fix (conflict, not found, validation). */
  cause: 'exhausted' | 'permanent';
}

/** A write that ran now. The engine's result plus `queued: false`. */
export type AppliedWrite<R> = R & { queued: false };

/**
 * A write that could not run now because of a transient failure and was stored durably for
 * replay. It has NOT happened yet: reads will not show it until a drain replays it (or it ends
 * in the dead-letter collection, see {@link FallbackQueue.deadLetters}).
 */
export interface QueuedWriteResult {
  queued: true;
  /** The op id; the version the replay writes carries it. */
  opId: string;
  kind: FallbackWriteKind;
  /** The record id (for a create, the id the record will have). */
  id: string;
  /** The failure that made the write queue. */
  error: FallbackErrorInfo;
}

/** What a create through {@link withFallback} returns. */
export type FallbackCreateResult = AppliedWrite<CreateResult> | QueuedWriteResult;
/** What an update or enrich through {@link withFallback} returns. */
export type FallbackUpdateResult = AppliedWrite<UpdateResult> | QueuedWriteResult;
/** What a delete through {@link withFallback} returns. */
export type FallbackDeleteResult = AppliedWrite<DeleteResult> | QueuedWriteResult;

/** How one replay ended. */
export type ReplayOutcome =
  /** The replay wrote the version. */
  | 'applied'
  /** An earlier attempt had already written it (found by its opId, or the created record exists); nothing written. */
  | 'already-applied'
  /** A delete whose record is already gone or deleted; nothing written. */
  | 'already-absent'
  /** The record was erased (`admin.hardDelete`) before the replay: the write is dropped with it, never dead-lettered. */
  | 'erased';

/** What one {@link FallbackQueue.drain} pass did, per op. */
export interface DrainReport {
  /** Ops replayed successfully (or found already done) and removed from the queue. */
  done: Array<{ opId: string; outcome: ReplayOutcome }>;
  /** Ops that failed again and will be retried at `nextAttemptAt`. */
  retrying: Array<{ opId: string; attempts: number; nextAttemptAt: Date; error: FallbackErrorInfo }>;
  /** Ops moved to the dead-letter collection. */
  deadLettered: Array<{ opId: string; cause: DeadLetterDoc['cause']; error: FallbackErrorInfo }>;
  /** Due ops another worker held a lease on; left to it. */
  skipped: string[];
}
