/**
 * `insertWithEntities`: saves the entities embedded in a record to their own collections, then
 * the record itself.
 */
import type { EntityMapping, EntityResolver, EntityResult, InsertWithEntitiesResult } from './entity-types.js';
import { findEntity } from './find-entity.js';
import { planEntities } from './plan-entities.js';
import { upsertEntity } from './upsert-entity.js';
import { toJsonValue } from '../validation/json-value.js';
import { isPlainObject } from '../validation/plain-object.js';

/** The copy is stored as versioned JSON, where Dates become ISO strings. */
const SNAPSHOT_RULES = { dates: 'iso-string', mongoDocument: false } as const;

/**
 * Saves each entity embedded in `record` (per `mappings`) to its collection, found there by its
 * key prop: created when missing, updated (its data replaced) when its content differs from the
 * embedded object, left unchanged otherwise. Then creates `record` itself, entities embedded
 * as given, through `resolver.main`.
 *
 * - The record is read once, into a plain copy (see `toJsonValue`), before anything else: a value
 *   that cannot be stored, in the record or in an embedded entity, is a ValidationError at its
 *   path under `data` with nothing written, and every later step sees that copy.
 * - Input is checked before anything is written: malformed mappings, a mapped prop that is not
 *   an object, a missing or non-scalar key, `_id`/`_system` on the record, an unconfigured
 *   target tier (RouteError) and a key prop that is not indexed in its collection
 *   (ValidationError at `mappings[i].keyProperty`). A mapping whose prop is absent (undefined or
 *   null) in the record is skipped and has no entry in `entityResults`.
 * - `_id` and `_system` inside an embedded entity are ignored, so a record read back with its
 *   entities can be saved again.
 * - Concurrent calls that share a new entity create it once: it gets an id derived from
 *   (`resolver.scopeOf(mapping)`, collection, keyProperty, key), and the losers of that create re-read it and update it only
 *   if their copy differs.
 *
 * Order and failure: entities first, one at a time in mapping order, the main record last, so a
 * main record never points at a missing entity. When a call fails part-way the caller gets the
 * error and no main record exists; entities already saved stay saved (created or updated, each
 * a complete version). Retrying the same call is safe: every entity step is an idempotent
 * upsert (an entity already at the wanted content is `unchanged`), and the main record is
 * created once, by the retry that gets that far. Validation of the main record beyond the
 * checks above (size, required indexed props) happens in its create, after the entities.
 *
 * @example
 * ```ts
 * const { mainRecordId, entityResults } = await insertWithEntities(
 *   { main: orders, opsFor: (m) => chronos.with(entityCtx(m)), scopeOf: (m) => routedDbName(entityCtx(m)) },
 *   { orderId: 'ORD-123', customer: { customerId: 'CUST-456', name: 'John Doe' }, quantity: 2 },
 *   [{ property: 'customer', collection: 'customers', keyProperty: 'customerId' }],
 *   'order-system', 'new order created',
 * );
 * entityResults.get('customer'); // { id: '…', operation: 'created' }
 * ```
 */
export async function insertWithEntities(
  resolver: EntityResolver,
  record: Record<string, unknown>,
  mappings: readonly EntityMapping[],
  actor?: string,
  reason?: string,
): Promise<InsertWithEntitiesResult> {
  const copy = isPlainObject(record) ? (toJsonValue(record, ['data'], SNAPSHOT_RULES) as Record<string, unknown>) : record;
  const plans = planEntities(resolver, copy, mappings);
  // All lookups before the first write: a key that cannot be looked up must fail with nothing written.
  const found = await Promise.all(plans.map((plan) => findEntity(plan.ops, plan.mapping, plan.index, plan.key, plan.id)));
  const entityResults = new Map<string, EntityResult>();
  for (const [i, plan] of plans.entries()) {
    entityResults.set(plan.mapping.property, await upsertEntity(plan, found[i] ?? null, actor, reason));
  }
  const main = await resolver.main.create(copy, actor, reason);
  return { mainRecordId: main.id, entityResults };
}
