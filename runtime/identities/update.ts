/** `update`: replaces a record's application data as a compare-and-set on its ov. */
import { parseInput } from '../validation/parse-input.js';
import { records, type IdentityContext } from './documents.js';
import { auditSchema, expectedOvSchema, idSchema } from './schemas.js';
import { checkIdentityData } from './identity-data.js';
import type { IdentityUpdateResult } from './types.js';
import { writeNextOv } from './write-next-ov.js';

/**
 * Replaces the data of record `id`. With `expectedOv`, of concurrent writers expecting the
 * same ov exactly one wins; the others get a ConflictError carrying the current ov.
 */
export async function updateIdentity(
  ctx: IdentityContext,
  id: unknown,
  data: unknown,
  expectedOv?: number,
  actor?: string,
  reason?: string,
): Promise<IdentityUpdateResult> {
  const parsedId = parseInput(idSchema, id, ['id']);
  const parsedData = checkIdentityData(data);
  const parsedOv = parseInput(expectedOvSchema, expectedOv, ['expectedOv']);
  const parsedActor = parseInput(auditSchema, actor, ['actor']) ?? null;
  const parsedReason = parseInput(auditSchema, reason, ['reason']) ?? null;
  await ctx.indexesReady();
  const updatedAt = new Date();
  const { ov } = await writeNextOv(ctx, parsedId, parsedOv, (before, nextOv) =>
    records(ctx).replaceAt(before, { ...before, ov: nextOv, data: parsedData, updatedAt, actor: parsedActor, reason: parsedReason }),
  );
  return { id: parsedId, ov, updatedAt: updatedAt.toISOString() };
}
