/**
 * Runs a write against a record's current head: compare-and-set when the caller names
 * `expectedOv`, retry-on-conflict when it does not.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import { startRetries } from '../retry/policy.js';
import { claimContention } from '../retry/schedules.js';
import type { Engine } from './engine.js';
import type { HeadDoc } from './store/head-store.js';


/** What {@link onHead} should do with a logically deleted record. */
export type DeletedPolicy = 'refuse' | 'allow';

/**
 * Reads the head of `id` and runs `write` on it. With `expectedOv` a head at another version is a
 * ConflictError at once (nothing written). Without it, a lost race (another writer took the
 * version, or still holds it) re-reads the head and runs `write` again, with the pauses of
 * {@link claimContention}, until it commits or {@link Engine.writeBudgetMs} has passed: that is how
 * concurrent enrichments all land, and how a write waits out the lease of a writer that died.
 */
export async function onHead<T>(
  engine: Engine,
  op: string,
  id: string,
  expectedOv: number | undefined,
  deleted: DeletedPolicy,
  write: (head: HeadDoc) => Promise<T>,
): Promise<T> {
  const tries = startRetries(claimContention(engine.writeBudgetMs), engine.clock);
  for (;;) {
    const head = await engine.retry(`reading the head of ${engine.ctx.collection}/${id}`, () => engine.heads.get(id));
    await engine.step('head-read', op, id, head?.ov ?? -1);
    if (!head) throw new NotFoundError(`no record ${id} in ${engine.ctx.collection}`);
    if (expectedOv !== undefined && head.ov !== expectedOv) {
      throw new ConflictError(
        `record ${id} is at version ${head.ov}, not ${expectedOv}: re-read it and retry with expectedOv ${head.ov}`,
        head.ov,
        expectedOv,
      );
    }
    if (head.deleted && deleted === 'refuse') {
      throw new NotFoundError(`record ${id} is deleted (version ${head.ov}): restore it with restoreObject before you ${op} it`);
    }
    try {
      return await write(head);
    } catch (e) {
      if (!(e instanceof ConflictError) || expectedOv !== undefined) throw e;
      if (!(await tries.next())) {
        throw new ConflictError(`${op} of ${id} kept losing to other writers for ${engine.writeBudgetMs} ms: ${e.message}`, e.currentOv);
      }
    }
  }
}
