/**
 * `create`: inserts a record at ov 0. The unique index `(tenantId, id)` is what refuses a used
 * id, so two concurrent creates of one id cannot both succeed.
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { ConflictError } from '../errors.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import { records, type IdentityContext } from './documents.js';
import { auditSchema, createOptionsSchema } from './schemas.js';
import { checkIdentityData } from './identity-data.js';
import type { IdentityCreateOptions, IdentityCreateResult } from './types.js';

/** Creates a record of `data` under `options.id` (default a random UUID). */
export async function createIdentity(
  ctx: IdentityContext,
  data: unknown,
  actor?: string,
  reason?: string,
  options?: IdentityCreateOptions,
): Promise<IdentityCreateResult> {
  const parsedData = checkIdentityData(data);
  const parsedActor = parseInput(auditSchema, actor, ['actor']);
  const parsedReason = parseInput(auditSchema, reason, ['reason']);
  const id = parseInput(createOptionsSchema, options, ['options'])?.id ?? randomUUID();
  await ctx.indexesReady();
  const now = new Date();
  try {
    await records(ctx).insert({
      _id: new ObjectId().toHexString(),
      tenantId: ctx.tenantId,
      id,
      ov: 0,
      data: parsedData,
      insertedAt: now,
      updatedAt: now,
      actor: parsedActor ?? null,
      reason: parsedReason ?? null,
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existingOv = await records(ctx).ovOf(id);
    throw new ConflictError(
      `${ctx.collection} ${id} already exists in tenant ${ctx.tenantId}; update it or create with another id`,
      existingOv ?? -1,
    );
  }
  return { id, ov: 0, createdAt: now.toISOString() };
}
