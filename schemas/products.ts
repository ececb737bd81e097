/** Products: a domain's shared catalogue knowledge, saved as entities of orders. */
import { z } from 'zod';
import { defineCollection } from '../runtime/schema/index.js';

/** A product as embedded in an order and stored on its own. */
export const productSchema = z.object({
  productId: z.string().min(1),
  name: z.string().min(1),
  price: z.number().nonnegative(),
  tags: z.array(z.string()).default([]),
  /** A small picture, base64; stored in object storage, not in Mongo. */
  image: z.string().optional(),
});

/** The `products` collection: knowledge database, domain tier. */
export const products = defineCollection({
  name: 'products',
  schema: productSchema,
  indexedProps: ['productId', 'price'],
  base64Props: { image: { contentType: 'image/png' } },
  placement: { databaseType: 'knowledge', tiers: ['domain'] },
});
