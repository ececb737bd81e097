/**
 * Saves one entity: creates it when missing, updates it when its content differs, leaves it
 * alone otherwise. Safe against concurrent writers of the same entity: creation uses the id
 * derived from the key, so racing creators meet on the engine's unique (id, ov) claim, and an
 * update is a compare-and-set on the version just read; every loser re-reads and decides again.
 */
import { ConflictError, isChronosError } from '../errors.js';
import { startRetries } from '../retry/policy.js';
import { ENTITY_CONTENTION, ENTITY_CONTENTION_BUDGET_MS, entityVisibility } from '../retry/schedules.js';
import { DEFAULT_LEASE_MS } from '../ops/context.js';
import type { ChronosRecord } from '../ops/types.js';
import { sameContent } from './app-data.js';
import type { EntityResult } from './entity-types.js';
import type { EntityPlan } from './plan-entities.js';

/**
 * How long to wait for a concurrent creator's record to become readable before giving up: the
 * engine's default writer lease. Within it the winner may still commit (a busy server can take
 * seconds when many writers share one connection); past it, it never will.
 */
const VISIBLE_WITHIN_MS = DEFAULT_LEASE_MS;

function isConflict(e: unknown): boolean {
  return isChronosError(e) && e.code === 'CONFLICT';
}

/**
 * Waits until the record another writer is creating becomes readable. A create that lost the
 * claim on (id, ov 0) only means the winner has started; its version is visible once it commits.
 * If that writer died holding the claim, nothing becomes visible until the engine's reconciler
 * releases it; until then this gives up after {@link VISIBLE_WITHIN_MS} with a ConflictError.
 */
async function waitUntilVisible(plan: EntityPlan): Promise<ChronosRecord> {
  const tries = startRetries(entityVisibility(VISIBLE_WITHIN_MS));
  for (;;) {
    const record = await plan.ops.getLatest(plan.id, { includeDeleted: true });
    if (record) return record;
    if (!(await tries.next())) {
      throw new ConflictError(
        `entity ${plan.mapping.collection}/${plan.id} (${plan.mapping.keyProperty} = ${JSON.stringify(plan.key)}) is being created by another writer that has not finished within ${VISIBLE_WITHIN_MS} ms: retry later`,
        -1,
      );
    }
  }
}

/**
 * Brings the entity of `plan` to `plan.data`, starting from `found` (the record the key lookup
 * returned, or null). Throws ConflictError when the entity is logically deleted (restore it
 * first) or when other writers keep winning for {@link ENTITY_CONTENTION_BUDGET_MS}.
 */
export async function upsertEntity(
  plan: EntityPlan,
  found: ChronosRecord | null,
  actor?: string,
  reason?: string,
): Promise<EntityResult> {
  let current = found;
  const tries = startRetries(ENTITY_CONTENTION);
  for (;;) {
    if (current === null) {
      try {
        const created = await plan.ops.create(plan.data, actor, reason, { id: plan.id });
        return { id: created.id, operation: 'created' };
      } catch (e) {
        if (!isConflict(e)) throw e;
        current = await waitUntilVisible(plan);
      }
    }
    if (current._system.deleted) {
      throw new ConflictError(
        `entity ${plan.mapping.collection}/${current._id} (${plan.mapping.keyProperty} = ${JSON.stringify(plan.key)}) is logically deleted: restore it (restoreObject) before saving records that reference it`,
        current._system.ov,
      );
    }
    if (sameContent(current, plan.data)) return { id: current._id, operation: 'unchanged' };
    try {
      await plan.ops.update(current._id, plan.data, current._system.ov, actor, reason);
      return { id: current._id, operation: 'updated' };
    } catch (e) {
      if (!isConflict(e)) throw e;
      // Someone else wrote it since we read it: decide again on what is there once they are done.
      if (!(await tries.next())) break;
      current = await plan.ops.getLatest(current._id, { includeDeleted: true });
    }
  }
  throw new ConflictError(
    `entity ${plan.mapping.collection} with ${plan.mapping.keyProperty} = ${JSON.stringify(plan.key)} kept changing under concurrent writers for ${ENTITY_CONTENTION_BUDGET_MS} ms: retry`,
    -1,
  );
}
