/**
 * Two small declarations for the suites that check what `initChronos({ collections })` derives:
 * `gadgets` (runtime/tenant, a refined schema, a base64 prop, a counter rule, an entity in the
 * knowledge domain tier) and `makers` (knowledge/domain).
 */
import { z } from 'zod';
import { defineCollection } from '../../runtime/schema/index.js';

/** A maker as embedded in a gadget and stored on its own. */
export const makerSchema = z.object({ makerId: z.string().min(1), name: z.string(), country: z.string().length(2).default('GB') });

/** `makers`: knowledge/domain, looked up by `makerId`. */
export const makers = defineCollection({
  name: 'makers',
  schema: makerSchema,
  indexedProps: ['makerId'],
  placement: { databaseType: 'knowledge', tiers: ['domain'] },
});

/** `gadgets`: runtime/tenant; the refinement keeps `qty` within `maxQty`. */
export const gadgets = defineCollection({
  name: 'gadgets',
  schema: z
    .object({
      sku: z.string().min(1),
      qty: z.int().nonnegative(),
      maxQty: z.int().positive().default(100),
      note: z.string().optional(),
      spec: z.object({ color: z.string(), weight: z.number().optional() }).optional(),
      manual: z.string().optional(),
      maker: makerSchema.optional(),
    })
    .refine((g) => g.qty <= g.maxQty, { message: 'qty exceeds maxQty', path: ['qty'] }),
  indexedProps: ['sku', 'qty'],
  base64Props: { manual: { contentType: 'application/pdf' } },
  entities: [{ property: 'maker', collection: makers, keyProperty: 'makerId', databaseType: 'knowledge', tier: 'domain' }],
  counterRules: [{ name: 'gadgets_bulk', on: ['CREATE'], scope: 'meta', when: { qty: { $gte: 10 } }, countUnique: ['sku'] }],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
});

/** Both declarations, as an app passes them to `initChronos`. */
export const declared = [gadgets, makers] as const;
