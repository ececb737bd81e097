/**
 * `delete`: removes a record (identities keep no history, so deletes are hard) as a
 * compare-and-set on its ov, then drops its claims.
 */
import { parseInput } from '../validation/parse-input.js';
import { records, type IdentityContext } from './documents.js';
import { pruneClaims } from './ov-claim.js';
import { auditSchema, expectedOvSchema, idSchema } from './schemas.js';
import type { IdentityDeleteResult } from './types.js';
import { writeNextOv } from './write-next-ov.js';

/** Deletes record `id`; with `expectedOv`, only while it is at that ov. */
export async function deleteIdentity(
  ctx: IdentityContext,
  id: unknown,
  expectedOv?: number,
  actor?: string,
  reason?: string,
): Promise<IdentityDeleteResult> {
  const parsedId = parseInput(idSchema, id, ['id']);
  const parsedOv = parseInput(expectedOvSchema, expectedOv, ['expectedOv']);
  // Accepted for symmetry with the engine; with no history there is nowhere to keep them.
  parseInput(auditSchema, actor, ['actor']);
  parseInput(auditSchema, reason, ['reason']);
  await ctx.indexesReady();
  const deletedAt = new Date();
  const { before, ov } = await writeNextOv(ctx, parsedId, parsedOv, (doc) => records(ctx).deleteAt(doc));
  await pruneClaims(ctx, before._id);
  return { id: parsedId, ov, deletedAt: deletedAt.toISOString() };
}
