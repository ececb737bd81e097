/** Orders: tenant runtime data referencing a customer (tenant metadata) and a product (domain knowledge). */
import { z } from 'zod';
import { defineCollection } from '../runtime/schema/index.js';
import { customerSchema, customers } from './customers.js';
import { productSchema, products } from './products.js';

/** The `orders` collection: runtime database, tenant tier. */
export const orders = defineCollection({
  name: 'orders',
  schema: z.object({
    orderId: z.string().min(1),
    status: z.enum(['placed', 'paid', 'shipped', 'cancelled']),
    quantity: z.int().positive(),
    total: z.number().nonnegative(),
    placedAt: z.iso.datetime(),
    customer: customerSchema,
    product: productSchema,
    shipping: z
      .object({
        country: z.string().length(2),
        city: z.string(),
        notes: z.string().nullable().optional(),
      })
      .optional(),
    /** The invoice PDF, base64; externalised to object storage. */
    invoicePdf: z.string().optional(),
  }),
  indexedProps: ['orderId', 'status', 'total', 'placedAt', 'customer.customerId'],
  base64Props: { invoicePdf: { contentType: 'application/pdf' } },
  entities: [
    { property: 'customer', collection: customers, keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' },
    { property: 'product', collection: products, keyProperty: 'productId', databaseType: 'knowledge', tier: 'domain' },
  ],
  counterRules: [
    { name: 'orders_paid', on: ['UPDATE'], scope: 'meta', when: { status: 'paid' } },
    { name: 'orders_large', on: ['CREATE'], scope: 'meta', when: { total: { $gte: 1000 } }, countUnique: ['customer.customerId'] },
  ],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
});
