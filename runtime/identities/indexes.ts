/**
 * The indexes of one identities collection: the single source for the ops (which create them
 * on their first write) and `chronos migrate`. Every key starts with `tenantId`, the equality
 * every query has.
 */
import type { IndexSpec } from '../mongo/index-spec.js';
import { claimsCollectionName } from './documents.js';

/** Index name for an indexed prop of an identities collection. */
function identityPropIndexName(prop: string): string {
  return `chronos_data_${prop.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Every index identities collection `collection` needs, in a deterministic order:
 * - `(tenantId, id)` unique: getLatest, and the claim that makes `create` refuse a used id;
 * - `(tenantId, data.<prop>, id)` per indexed prop: `query` (equality prefix, then id order);
 * - on `<collection>_claims`, `(tenantId, headId, ov)` unique: the compare-and-set of update and delete.
 */
export function identityIndexes(collection: string, indexedProps: readonly string[]): IndexSpec[] {
  const specs: IndexSpec[] = [
    { collection, name: 'chronos_tenant_id', key: { tenantId: 1, id: 1 }, unique: true },
  ];
  for (const prop of [...new Set(indexedProps)].sort()) {
    specs.push({ collection, name: identityPropIndexName(prop), key: { tenantId: 1, [`data.${prop}`]: 1, id: 1 } });
  }
  specs.push({
    collection: claimsCollectionName(collection),
    name: 'chronos_tenant_head_ov',
    key: { tenantId: 1, headId: 1, ov: 1 },
    unique: true,
  });
  return specs;
}
