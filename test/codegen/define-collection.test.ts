import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  collectionMapsFrom,
  counterRulesFrom,
  defineCollection,
  isCollectionDefinition,
  type AnyCollectionDefinition,
} from '../../runtime/index.js';
import { customers } from '../../schemas/customers.js';
import { orders } from '../../schemas/orders.js';
import { products } from '../../schemas/products.js';

/** Declares as a JavaScript caller would: no compile-time checks, so the run-time ones must catch it. */
const declareUntyped = defineCollection as unknown as (declaration: Record<string, unknown>) => AnyCollectionDefinition;

function configIssues(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  }
  throw new Error('expected a ConfigError');
}

const schema = z.object({ ref: z.string(), amount: z.number(), buyer: customers.schema });
const placement = { databaseType: 'runtime', tiers: ['tenant'] };

describe('defineCollection refuses declarations that do not match their schema', () => {
  it('names an indexed prop the schema lacks, including a nested one', () => {
    const issues = configIssues(() => declareUntyped({ name: 'a', schema, indexedProps: ['ref', 'reference', 'buyer.phone'], placement }));
    expect(issues).toEqual([
      { path: 'indexedProps.1', message: '"reference" is not a field of the schema' },
      { path: 'indexedProps.2', message: '"buyer.phone" is not a field of the schema' },
    ]);
  });

  it('names a display field the schema lacks, and keeps a good one', () => {
    const issues = configIssues(() => declareUntyped({ name: 'a', schema, indexedProps: [], placement, displayField: 'label' }));
    expect(issues).toEqual([{ path: 'displayField', message: '"label" is not a field of the schema' }]);
    expect(defineCollection({ name: 'b', schema, indexedProps: ['ref'], placement: { databaseType: 'runtime', tiers: ['tenant'] }, displayField: 'ref' }).displayField).toBe('ref');
  });

  it('names a base64 prop that is not a string field', () => {
    const issues = configIssues(() => declareUntyped({ name: 'a', schema, indexedProps: [], base64Props: { amount: { contentType: 'x' } }, placement }));
    expect(issues).toEqual([{ path: 'base64Props.amount', message: '"amount" must be a string field of the schema' }]);
  });

  it('names a tier the database type does not have', () => {
    const issues = configIssues(() => declareUntyped({ name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['generic'] } }));
    expect(issues[0]?.path).toBe('placement.0.tiers');
    expect(issues[0]?.message).toContain('runtime has no "generic" tier');
  });

  it('refuses an entity key that the target does not index, and a tier it is not placed in', () => {
    const issues = configIssues(() =>
      declareUntyped({
        name: 'a', schema, indexedProps: [], placement,
        entities: [{ property: 'buyer', collection: customers, keyProperty: 'name', databaseType: 'metadata', tier: 'generic' }],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['entities.0.keyProperty', 'entities.0.tier']);
    expect(issues[0]?.message).toContain('index it there');
  });

  it('refuses an entity mapping that names its target by string', () => {
    const issues = configIssues(() =>
      declareUntyped({ name: 'a', schema, indexedProps: [], placement, entities: [{ property: 'buyer', collection: 'customers', keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' }] }),
    );
    expect(issues).toEqual([{ path: 'entities.0.collection', message: 'must be a collection object made by defineCollection, not a name' }]);
  });

  it('refuses a name that cannot prefix Mongo collections', () => {
    const issues = configIssues(() => declareUntyped({ name: 'my-orders', schema, indexedProps: [], placement }));
    expect(issues.map((i) => i.path)).toEqual(['name']);
  });
});

describe('declarations are recognisable and frozen', () => {
  it('marks definitions so loaders can find them among other exports', () => {
    expect(isCollectionDefinition(orders)).toBe(true);
    expect(isCollectionDefinition({ name: 'orders' })).toBe(false);
    expect(Object.isFrozen(orders)).toBe(true);
  });

  it('normalises placement into locations', () => {
    expect(orders.locations).toEqual([{ databaseType: 'runtime', tier: 'tenant' }]);
  });
});

describe('initChronos config is derived from the declarations', () => {
  it('derives collectionMaps with indexed props, base64 props and required indexed props', () => {
    expect(collectionMapsFrom([customers, orders, products])).toEqual({
      customers: { indexedProps: ['customerId', 'email'], validation: { requiredIndexed: ['customerId'] } },
      orders: {
        indexedProps: ['orderId', 'status', 'total', 'placedAt', 'customer.customerId'],
        base64Props: { invoicePdf: { contentType: 'application/pdf' } },
      },
      products: { indexedProps: ['productId', 'price'], base64Props: { image: { contentType: 'image/png' } } },
    });
  });

  it('collects counter rules of every declaration in order', () => {
    expect(counterRulesFrom([customers, orders]).rules.map((r) => r.name)).toEqual(['orders_paid', 'orders_large']);
  });

  it('refuses two collections with one name and two counter rules with one name', () => {
    expect(() => collectionMapsFrom([orders, orders])).toThrow(/collection "orders" is declared twice/);
    const twin = defineCollection({
      name: 'twin', schema, indexedProps: ['ref'], placement: { databaseType: 'runtime', tiers: ['tenant'] },
      counterRules: [{ name: 'orders_paid', when: { ref: 'x' } }],
    });
    expect(() => counterRulesFrom([orders, twin])).toThrow(/counter rule "orders_paid" is declared twice/);
  });
});

describe('counter rules are checked against the collection at declaration load', () => {
  const place = { databaseType: 'runtime', tiers: ['tenant'] } as const;
  const declare = (counterRules: unknown) => () => defineCollection({ name: 'counted', schema, indexedProps: ['ref'], placement: place, counterRules: counterRules as never });

  it('refuses a when key or countUnique name that a meta rule cannot read, naming the path', () => {
    expect(declare([{ name: 'r', when: { reff: 'x' }, countUnique: ['amount'] }])).toThrow(ConfigError);
    try {
      declare([{ name: 'r', when: { reff: 'x' }, countUnique: ['amount'] }])();
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => i.path.join('.'))).toEqual(['counterRules.0.when.reff', 'counterRules.0.countUnique.0']);
    }
  });

  it('accepts schema paths in a payload rule', () => {
    expect(declare([{ name: 'r', scope: 'payload', when: { amount: { $gt: 1 } }, countUnique: ['ref'] }])).not.toThrow();
    expect(declare([{ name: 'r', scope: 'payload', countUnique: ['nope'] }])).toThrow(/"nope" is not a field of the schema/);
  });

  it('refuses a when value the field cannot hold: outside its enum, or of another type, also inside operators', () => {
    const statusSchema = z.object({ ref: z.string(), status: z.enum(['new', 'paid']), amount: z.number() });
    const declareWith = (counterRules: unknown) => () =>
      defineCollection({ name: 'counted', schema: statusSchema, indexedProps: ['ref', 'status', 'amount'], placement: place, counterRules: counterRules as never });
    expect(declareWith([{ name: 'r', on: ['UPDATE'], when: { status: 'paid', amount: { $gte: 10 } } }])).not.toThrow();
    const issues = configIssues(declareWith([{ name: 'r', when: { status: 'payed', amount: { $gte: 'ten', $in: [1, 'x'] } } }]));
    expect(issues).toEqual([
      { path: 'counterRules.0.when.status', message: '"payed" is not a value of the field (one of "new", "paid")' },
      { path: 'counterRules.0.when.amount.$gte', message: '"ten" is not a value of the field' },
      { path: 'counterRules.0.when.amount.$in.1', message: '"x" is not a value of the field' },
    ]);
  });
});

describe('declarations with unknown keys are refused at load', () => {
  it('names an unknown top-level key and an unknown entity mapping key', () => {
    const issues = configIssues(() =>
      declareUntyped({
        name: 'a', schema, indexedProps: ['ref'], indexedprops: ['amount'], placement,
        entities: [{ property: 'buyer', collection: customers, keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant', domian: 'x' }],
      }),
    );
    expect(issues).toEqual([
      { path: 'indexedprops', message: '"indexedprops" is not a declaration key (known: name, schema, indexedProps, base64Props, entities, counterRules, validation, placement, displayField, upcasters)' },
      { path: 'entities.0.domian', message: '"domian" is not a declaration key (known: property, collection, keyProperty, databaseType, tier, domain)' },
    ]);
  });
});

describe('entity properties hold one entity', () => {
  it('refuses an array property at load, saying arrays of entities are not supported', () => {
    const withItems = z.object({ ref: z.string(), buyers: z.array(customers.schema) });
    const issues = configIssues(() =>
      declareUntyped({ name: 'a', schema: withItems, indexedProps: ['ref'], placement, entities: [{ property: 'buyers', collection: customers, keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' }] }),
    );
    expect(issues).toEqual([{ path: 'entities.0.property', message: '"buyers" holds an array: an entity property holds one entity (an object), so map an object field; arrays of entities are not supported' }]);
  });
});
