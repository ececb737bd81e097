/** Audit events: one shared logs database. */
import { z } from 'zod';
import { defineCollection } from '../runtime/schema/index.js';

/** The `auditEvents` collection: logs database (its single tier). */
export const auditEvents = defineCollection({
  name: 'auditEvents',
  schema: z.object({
    action: z.string(),
    actor: z.string(),
    tenantId: z.string().optional(),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  }),
  indexedProps: ['action', 'actor'],
  placement: { databaseType: 'logs', tiers: ['single'] },
});
