/**
 * A fresh set of collections per test (orders, customers, products) on the harness databases,
 * and an entity resolver over them shaped like the one the instance builds: a mapping's
 * databaseType and tier pick the logical database `<databaseType>-<tier>`, defaulting to the main
 * record's `runtime-tenant`.
 */
import { RouteError } from '../../runtime/errors.js';
import type { FaultHook } from '../../runtime/ops/context.js';
import type { ChronosRecord, VersionedOps } from '../../runtime/ops/types.js';
import type { EntityMapping, EntityResolver } from '../../runtime/entities/entity-types.js';
import type { EngineHarness } from './engine-harness.js';

/** The logical databases the entity suites open. */
export const ENTITY_DATABASES = ['runtime-tenant', 'metadata-tenant', 'knowledge-domain'] as const;

let sequence = 0;

/** Collections and a resolver that no other test shares. */
export interface EntityFixture {
  orders: VersionedOps;
  customers: VersionedOps;
  products: VersionedOps;
  /** customer → customers by customerId (same database as the orders); product → products by productId in knowledge/domain. */
  mappings: EntityMapping[];
  resolver(main?: VersionedOps): EntityResolver;
  /** The orders handle with a fault hook, for crash injection. */
  ordersWithFaults(faults: FaultHook): VersionedOps;
}

function logicalDatabase(mapping: Pick<EntityMapping, 'databaseType' | 'tier'>): string {
  return `${mapping.databaseType ?? 'runtime'}-${mapping.tier ?? 'tenant'}`;
}

/** Builds a fixture; `customerIndexedProps` lets a test make the key prop unindexed. */
export function entityFixture(h: EngineHarness, options: { customerIndexedProps?: string[] } = {}): EntityFixture {
  sequence += 1;
  const names = { orders: `orders${sequence}`, customers: `customers${sequence}`, products: `products${sequence}` };
  const settings: Record<string, { indexedProps: string[] }> = {
    [names.orders]: { indexedProps: ['orderId'] },
    [names.customers]: { indexedProps: options.customerIndexedProps ?? ['customerId'] },
    [names.products]: { indexedProps: ['productId'] },
  };
  const handles = new Map<string, VersionedOps>();
  const handle = (database: string, collection: string): VersionedOps => {
    const key = `${database}/${collection}`;
    let ops = handles.get(key);
    if (!ops) handles.set(key, (ops = h.ops({ database, collection, settings: settings[collection] ?? { indexedProps: [] } })));
    return ops;
  };
  const configured = new Set<string>(ENTITY_DATABASES);
  const routed = (mapping: EntityMapping): string => {
    const database = logicalDatabase(mapping);
    if (!configured.has(database)) throw new RouteError(`no ${mapping.databaseType ?? 'runtime'} database is configured for tier ${mapping.tier ?? 'tenant'}`);
    return database;
  };
  const mappings: EntityMapping[] = [
    { property: 'customer', collection: names.customers, keyProperty: 'customerId' },
    { property: 'product', collection: names.products, keyProperty: 'productId', databaseType: 'knowledge', tier: 'domain' },
  ];
  return {
    orders: handle('runtime-tenant', names.orders),
    customers: handle('runtime-tenant', names.customers),
    products: handle('knowledge-domain', names.products),
    mappings,
    resolver(main) {
      return {
        main: main ?? handle('runtime-tenant', names.orders),
        opsFor: (mapping) => handle(routed(mapping), mapping.collection),
        scopeOf: (mapping) => h.db(routed(mapping)).databaseName,
      };
    },
    ordersWithFaults(faults) {
      return h.ops({ database: 'runtime-tenant', collection: names.orders, settings: { indexedProps: ['orderId'] }, faults });
    },
  };
}

/** Every live record of a collection (the suites keep them under one page). */
export async function allRecords(ops: VersionedOps): Promise<ChronosRecord[]> {
  return (await ops.listByMeta({ limit: 1000 })).items;
}
