/**
 * The write wrapper: runs a write now and, only when it fails for a transient reason, stores it
 * in the fallback queue and says so. Never a fake success: a queued write has not happened yet.
 */
import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors.js';
import { newId } from '../ops/input-validation.js';
import type { VersionedOps, CreateOptions, DeepPartial, EnrichOptions, WriteOptions } from '../ops/types.js';
import type { FallbackQueue } from './fallback-queue.js';
import { isTransientError } from '../retry/transient.js';
import type {
  FallbackCreateResult,
  FallbackDeleteResult,
  FallbackRoute,
  FallbackUpdateResult,
  QueuedWrite,
  QueuedWriteResult,
} from './types.js';

/**
 * The writes of a {@link VersionedOps} with the fallback queue behind them. Each resolves to the
 * engine's result plus `queued: false`, or to a {@link QueuedWriteResult} (`queued: true`).
 * Bad input, conflicts and missing records are thrown as usual and queue nothing: the engine
 * validates before it touches storage, so a write only reaches the queue after its input was
 * accepted. (An `enrich` whose head could not be read yet is the exception: its merged document
 * is checked at replay, and a refusal there ends in the dead letters.)
 */
export interface FallbackOps<T extends object = Record<string, unknown>> {
  /** As `create`; the record id is fixed before the first attempt (`options.id` or a new one), so a queued create already has its id. */
  create(data: T, actor?: string, reason?: string, options?: CreateOptions): Promise<FallbackCreateResult>;
  update(id: string, data: T, expectedOv?: number, actor?: string, reason?: string, options?: WriteOptions): Promise<FallbackUpdateResult>;
  delete(id: string, expectedOv?: number, actor?: string, reason?: string, options?: WriteOptions): Promise<FallbackDeleteResult>;
  enrich(id: string, patch: DeepPartial<T> | DeepPartial<T>[], options?: EnrichOptions): Promise<FallbackUpdateResult>;
}

/**
 * Wraps the writes of `ops` (routed to `route`) with `queue`. Every write carries an `opId`
 * (the caller's `options.opId`, or a new UUID) from its first attempt on, so a replay can tell
 * whether that attempt committed after all. With `queue.options.enabled` false, failures are
 * thrown as they are.
 *
 * @example
 * ```ts
 * const orders = withFallback(chronos.with(ctx), chronos.fallback, ctx);
 * const res = await orders.update(id, { status: 'paid' }, ov);
 * if (res.queued) respond(202, { opId: res.opId }); else respond(200, { ov: res.ov });
 * ```
 */
export function withFallback<T extends object = Record<string, unknown>>(
  ops: Pick<VersionedOps<T>, 'create' | 'update' | 'delete' | 'enrich'>,
  queue: FallbackQueue,
  route: FallbackRoute,
): FallbackOps<T> {
  async function attempt<R>(opId: string, run: () => Promise<R>, queued: () => QueuedWrite): Promise<(R & { queued: false }) | QueuedWriteResult> {
    try {
      return { ...(await run()), queued: false };
    } catch (error) {
      if (!queue.options.enabled || !isTransientError(error)) throw error;
      try {
        return await queue.enqueue(opId, queued(), route, error);
      } catch (enqueueError) {
        throw new StorageError(
          `the write failed (${(error as Error).message}) and could not be queued for retry (${String(enqueueError)}): retry it yourself`,
          { cause: error, transient: true },
        );
      }
    }
  }

  return {
    create(data, actor, reason, options = {}) {
      const id = options.id ?? newId();
      const opId = options.opId ?? randomUUID();
      const lineage = {
        ...(options.parentRecord ? { parentRecord: options.parentRecord } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      };
      return attempt(
        opId,
        () => ops.create(data, actor, reason, { ...options, id, opId }),
        () => ({ kind: 'create', id, data: asJson(data), ...notes(actor, reason), ...(Object.keys(lineage).length > 0 ? { lineage } : {}) }),
      );
    },
    update(id, data, expectedOv, actor, reason, options = {}) {
      const opId = options.opId ?? randomUUID();
      return attempt(
        opId,
        () => ops.update(id, data, expectedOv, actor, reason, { ...options, opId }),
        () => ({ kind: 'update', id, data: asJson(data), ...cas(expectedOv), ...notes(actor, reason) }),
      );
    },
    delete(id, expectedOv, actor, reason, options = {}) {
      const opId = options.opId ?? randomUUID();
      return attempt(
        opId,
        () => ops.delete(id, expectedOv, actor, reason, { ...options, opId }),
        () => ({ kind: 'delete', id, ...cas(expectedOv), ...notes(actor, reason) }),
      );
    },
    enrich(id, patch, options = {}) {
      const opId = options.opId ?? randomUUID();
      return attempt(
        opId,
        () => ops.enrich(id, patch, { ...options, opId }),
        () => ({
          kind: 'enrich',
          id,
          patch: asJson(patch) as Record<string, unknown> | Record<string, unknown>[],
          ...cas(options.expectedOv),
          ...(options.functionId !== undefined ? { functionId: options.functionId } : {}),
          ...notes(options.actor, options.reason),
        }),
      );
    },
  };
}

/** The JSON form the engine stored (dates as ISO strings, undefined props dropped); the engine already refused anything JSON cannot hold. */
function asJson<V>(value: V): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function cas(expectedOv: number | undefined): { expectedOv?: number } {
  return expectedOv === undefined ? {} : { expectedOv };
}

function notes(actor: string | undefined, reason: string | undefined): { actor?: string; reason?: string } {
  return { ...(actor !== undefined ? { actor } : {}), ...(reason !== undefined ? { reason } : {}) };
}
