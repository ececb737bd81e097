/**
 * Comparing declared indexes with live ones. Specs are normalised first (key order kept, as it
 * is part of what an index is; option defaults made explicit) so an index is never rebuilt only
 * because a server spells its options differently.
 */
import type { IndexKey, IndexSpec } from '../../runtime/mongo/index-spec.js';

/** Names of the indexes Chronos manages start with this; others are foreign and left alone. */
const MANAGED_PREFIX = 'chronos_';

/** An index as `listIndexes` reports it (the fields migrate compares). */
export interface LiveIndex {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: unknown;
  collation?: unknown;
}

/** What to do with one index. */
export type IndexAction = 'create' | 'drop' | 'change' | 'keep' | 'foreign';

/** One line of a plan. */
export interface PlannedIndex {
  collection: string;
  name: string;
  action: IndexAction;
  /** The declared key for create/change/keep, the live one for drop/foreign. */
  key: Record<string, unknown>;
  unique?: boolean;
  /** Why a change is needed, or what a foreign index is. */
  detail?: string;
}

/** A canonical string of an index's key and options: equal strings, equal indexes. */
function normalisedSpec(index: { key: Record<string, unknown>; unique?: boolean; sparse?: boolean; expireAfterSeconds?: number; partialFilterExpression?: unknown; collation?: unknown }): string {
  return JSON.stringify({
    key: Object.entries(index.key).map(([field, direction]) => [field, Number(direction)]),
    unique: index.unique === true,
    sparse: index.sparse === true,
    expireAfterSeconds: index.expireAfterSeconds ?? null,
    partialFilterExpression: index.partialFilterExpression ?? null,
    collation: index.collation ?? null,
  });
}

function declaredKey(key: IndexKey): Record<string, unknown> {
  return { ...key };
}

/**
 * The plan for one database: `declared` indexes against `live` ones per collection. Managed
 * indexes that are no longer declared are dropped; foreign ones are reported, and dropped only
 * with `dropExtra`. `_id_` is never touched.
 */
export function planIndexes(declared: readonly IndexSpec[], live: ReadonlyMap<string, readonly LiveIndex[]>, dropExtra: boolean): PlannedIndex[] {
  const plan: PlannedIndex[] = [];
  const declaredNames = new Set(declared.map((d) => `${d.collection}\u0000${d.name}`));
  for (const spec of declared) {
    const existing = live.get(spec.collection)?.find((l) => l.name === spec.name);
    const base = { collection: spec.collection, name: spec.name, key: declaredKey(spec.key), ...(spec.unique ? { unique: true } : {}) };
    if (!existing) plan.push({ ...base, action: 'create' });
    else if (normalisedSpec(existing) === normalisedSpec(spec)) plan.push({ ...base, action: 'keep' });
    else plan.push({ ...base, action: 'change', detail: `live ${normalisedSpec(existing)} differs from declared ${normalisedSpec(spec)}` });
  }
  for (const [collection, indexes] of [...live.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const index of indexes) {
      if (index.name === '_id_' || declaredNames.has(`${collection}\u0000${index.name}`)) continue;
      const managed = index.name.startsWith(MANAGED_PREFIX);
      plan.push({
        collection,
        name: index.name,
        key: index.key,
        action: managed || dropExtra ? 'drop' : 'foreign',
        ...(managed ? { detail: 'managed by Chronos and no longer declared' } : { detail: 'not created by Chronos' }),
      });
    }
  }
  return plan;
}
