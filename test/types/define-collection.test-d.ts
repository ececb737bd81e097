/**
 * Type tests of the schema DSL, checked by `tsc --noEmit`: a declaration that names a field the
 * schema lacks, a non-indexed entity key or a tier the target is not placed in does not compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineCollection, type CollectionDefinition } from '../../runtime/index.js';
import { customers } from '../../schemas/customers.js';
import { products } from '../../schemas/products.js';

const schema = z.object({ ref: z.string(), amount: z.number(), note: z.string().optional(), buyer: customers.schema, item: products.schema });

describe('defineCollection checks names against the schema', () => {
  it('infers the name, indexed props and placement', () => {
    const invoices = defineCollection({ name: 'invoices', schema, indexedProps: ['ref', 'buyer.email'], placement: { databaseType: 'metadata', tiers: ['tenant', 'domain'] } });
    expectTypeOf(invoices.name).toEqualTypeOf<'invoices'>();
    expectTypeOf(invoices.indexedProps).toEqualTypeOf<readonly ('ref' | 'buyer.email')[]>();
    expectTypeOf(invoices).toMatchTypeOf<CollectionDefinition<'invoices'>>();
  });

  it('refuses an indexed prop the schema does not have', () => {
    // @ts-expect-error `reference` is not a field
    defineCollection({ name: 'a', schema, indexedProps: ['reference'], placement: { databaseType: 'runtime', tiers: ['tenant'] } });
  });

  it('checks a parent.child indexed prop against the nested object, optional or not', () => {
    const nested = z.object({ ref: z.string(), buyer: z.object({ id: z.string() }), ship: z.object({ city: z.string() }).optional() });
    defineCollection({ name: 'a', schema: nested, indexedProps: ['buyer.id', 'ship.city'], placement: { databaseType: 'runtime', tiers: ['tenant'] } });
    // @ts-expect-error `buyer.name` is not a field of the nested object
    defineCollection({ name: 'a', schema: nested, indexedProps: ['buyer.name'], placement: { databaseType: 'runtime', tiers: ['tenant'] } });
    // @ts-expect-error `ship.zip` is not a field of the optional nested object
    defineCollection({ name: 'a', schema: nested, indexedProps: ['ship.zip'], placement: { databaseType: 'runtime', tiers: ['tenant'] } });
  });

  it('takes a display field only among the schema\'s top-level fields', () => {
    defineCollection({ name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] }, displayField: 'ref' });
    // @ts-expect-error `label` is not a field
    defineCollection({ name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] }, displayField: 'label' });
  });

  it('takes base64 props on string fields, optional, nullable or formatted', () => {
    const files = z.object({ a: z.string(), b: z.string().optional(), c: z.string().nullable(), d: z.base64().optional(), e: z.string().default('') });
    const contentType = 'application/octet-stream';
    defineCollection({ name: 'a', schema: files, indexedProps: [], base64Props: { a: { contentType }, b: { contentType }, c: { contentType }, d: { contentType }, e: { contentType } }, placement: { databaseType: 'runtime', tiers: ['tenant'] } });
  });

  it('refuses a base64 prop that is not a string field', () => {
    // @ts-expect-error amount is a number
    defineCollection({ name: 'a', schema, indexedProps: [], base64Props: { amount: { contentType: 'x' } }, placement: { databaseType: 'runtime', tiers: ['tenant'] } });
  });

  it('refuses a tier the database type does not have', () => {
    // @ts-expect-error runtime has tenant databases only
    defineCollection({ name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['generic'] } });
  });
});

describe('entity mappings point at declared collections', () => {
  it('accepts a mapping to an indexed key in a tier the target lives in', () => {
    defineCollection({
      name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] },
      entities: [{ property: 'buyer', collection: customers, keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' }],
    });
  });

  it('refuses a property the record does not have', () => {
    defineCollection({
      name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] },
      // @ts-expect-error `customer` is not a field of this schema
      entities: [{ property: 'customer', collection: customers, keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' }],
    });
  });

  it('refuses a key property the target does not index', () => {
    defineCollection({
      name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] },
      // @ts-expect-error customers index customerId and email, not name
      entities: [{ property: 'buyer', collection: customers, keyProperty: 'name', databaseType: 'metadata', tier: 'tenant' }],
    });
  });

  it('refuses a tier the target is not placed in', () => {
    defineCollection({
      name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] },
      // @ts-expect-error products live in knowledge/domain only
      entities: [{ property: 'item', collection: products, keyProperty: 'productId', databaseType: 'knowledge', tier: 'generic' }],
    });
  });

  it('refuses a collection name instead of the collection object', () => {
    defineCollection({
      name: 'a', schema, indexedProps: [], placement: { databaseType: 'runtime', tiers: ['tenant'] },
      // @ts-expect-error the mapping takes the declared collection, not its name
      entities: [{ property: 'buyer', collection: 'customers', keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' }],
    });
  });
});

describe('counter rules name fields of the collection', () => {
  const place = { databaseType: 'runtime', tiers: ['tenant'] } as const;

  it('accepts indexed props in a meta rule and schema paths in a payload rule', () => {
    defineCollection({
      name: 'a', schema, indexedProps: ['ref', 'amount'], placement: place,
      counterRules: [
        { name: 'big', when: { amount: { $gte: 100 } }, countUnique: ['ref'] },
        { name: 'by_buyer', scope: 'payload', when: { note: { $exists: true } }, countUnique: ['buyer.customerId'] },
      ],
    });
  });

  it('refuses a when key that is not an indexed prop of a meta rule', () => {
    // @ts-expect-error `amout` is misspelt
    defineCollection({ name: 'a', schema, indexedProps: ['ref', 'amount'], placement: place, counterRules: [{ name: 'big', when: { amout: { $gte: 100 } } }] });
    // @ts-expect-error note is a field but not indexed, and a meta rule reads indexed props
    defineCollection({ name: 'a', schema, indexedProps: ['ref'], placement: place, counterRules: [{ name: 'noted', scope: 'meta', when: { note: 'x' } }] });
  });

  it('refuses a countUnique name that is not a field', () => {
    // @ts-expect-error `buyer.id` is not a path of the schema
    defineCollection({ name: 'a', schema, indexedProps: ['ref'], placement: place, counterRules: [{ name: 'u', scope: 'payload', countUnique: ['buyer.id'] }] });
    // @ts-expect-error `refs` is not an indexed prop
    defineCollection({ name: 'a', schema, indexedProps: ['ref'], placement: place, counterRules: [{ name: 'u', countUnique: ['refs'] }] });
  });
});
