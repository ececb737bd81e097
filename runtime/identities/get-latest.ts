/** `getLatest`: one record by id, from this tenant only. */
import { parseInput } from '../validation/parse-input.js';
import { records, toIdentityRecord, type IdentityContext } from './documents.js';
import { idSchema } from './schemas.js';
import type { IdentityRecord } from './types.js';

/** The record `id` of the tenant, or `null`. */
export async function getLatestIdentity<T extends object>(ctx: IdentityContext, id: unknown): Promise<IdentityRecord<T> | null> {
  const parsedId = parseInput(idSchema, id, ['id']);
  const doc = await records(ctx).get(parsedId);
  return doc ? toIdentityRecord<T>(doc) : null;
}
