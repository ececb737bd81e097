/**
 * Zod schemas of the identities API's input. `_system` and `_id` are Chronos's: refusing them in
 * caller data (rather than stripping them) makes a caller who tries to set them find out at once.
 */
import { z } from 'zod';
import { wellFormedString } from '../validation/well-formed.js';

/** Page size of `query` when the caller names none. */
export const DEFAULT_QUERY_LIMIT = 50;
/** Largest page `query` gives. */
const MAX_QUERY_LIMIT = 1000;

const RESERVED_KEYS = ['_system', '_id'] as const;

/** A record id: any non-empty string. */
export const idSchema = wellFormedString('id must be a string').pipe(z.string().min(1, 'id must be a non-empty string'));

/** Application data: a plain object without `_system` or `_id`. */
export const dataSchema = z
  .record(z.string(), z.unknown(), { error: 'data must be an object of application props' })
  .superRefine((data, ctx) => {
    for (const key of RESERVED_KEYS) {
      if (Object.hasOwn(data, key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is set by Chronos and cannot be written; remove it from the data`,
        });
      }
    }
  });

/** The ov a compare-and-set expects: a non-negative integer, or absent for an unconditional write. */
export const expectedOvSchema = z
  .number({ error: 'expectedOv must be a number' })
  .int('expectedOv must be an integer')
  .nonnegative('expectedOv must be >= 0')
  .optional();

/** `actor` or `reason`: an optional string. */
export const auditSchema = wellFormedString('must be a string').optional();

/** Options of `create`. */
export const createOptionsSchema = z.strictObject({ id: idSchema.optional() }).optional();

/** Paging options of `query`. */
export const queryOptionsSchema = z
  .strictObject({
    limit: z
      .number()
      .int('limit must be an integer')
      .min(1, 'limit must be >= 1')
      .max(MAX_QUERY_LIMIT, `limit must be <= ${MAX_QUERY_LIMIT}; page with afterId`)
      .optional(),
    afterId: idSchema.optional(),
  })
  .optional();

const propPath = z
  .string()
  .min(1, 'an indexed prop must be a non-empty string')
  .regex(/^[^.$][^$]*$/, 'an indexed prop is a dot path of field names (no $, not starting with .)')
  .refine((p) => !p.split('.').includes(''), 'an indexed prop must not have empty path segments')
  .refine((p) => !['_system', '_id'].includes(p.split('.')[0] ?? ''), 'an indexed prop cannot be under _system or _id');

/** Options of `createIdentityOps`. */
export const identityOptionsSchema = z.strictObject({
  indexedProps: z.array(propPath).optional(),
  claimLeaseMs: z.number().int().min(1, 'claimLeaseMs must be >= 1').optional(),
});

/** A Mongo collection name the identities API may use. */
export const collectionSchema = z
  .string({ error: 'collection must be a string' })
  .min(1, 'collection must be a non-empty string')
  .regex(/^[^$\0]+$/, 'collection must not contain $ or NUL')
  .refine((c) => !c.startsWith('system.'), 'collection names starting with system. are reserved by MongoDB')
  // `<name>_claims` holds the ov claims of `<name>` (documents.ts): a collection of that name
  // would share it and break both. Refusing the suffix keeps every existing claims collection.
  .refine((c) => !c.endsWith('_claims'), 'collection names ending in _claims are reserved for the ov claims of identities collections; choose another name');

/** A tenant id as the ops handle takes it. */
export const tenantIdSchema = z.string({ error: 'tenantId must be a string' }).min(1, 'tenantId must be a non-empty string');
