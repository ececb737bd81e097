/** Customers: tenant-owned metadata, saved as entities of orders. */
import { z } from 'zod';
import { defineCollection } from '../runtime/schema/index.js';

/** A customer as embedded in an order and stored on its own. */
export const customerSchema = z.object({
  customerId: z.string().min(1),
  name: z.string().min(1),
  email: z.email(),
  tier: z.enum(['standard', 'premium']).default('standard'),
});

/** The `customers` collection: metadata database, tenant tier. */
export const customers = defineCollection({
  name: 'customers',
  schema: customerSchema,
  indexedProps: ['customerId', 'email'],
  validation: { requiredIndexed: ['customerId'] },
  placement: { databaseType: 'metadata', tiers: ['tenant'] },
});
