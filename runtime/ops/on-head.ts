/**
 * Runs a write against a record's current head: compare-and-set when the caller names
 * `expectedOv`, retry-on-conflict when it does not.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Engine } from './engine.js';
import type { HeadDoc } from './head-store.js';

/**
 * How many times a write without `expectedOv` (and every `enrich`) re-reads the head and tries
 * again after losing a claim: 30, with a jittered pause of up to 2^n ms (capped at 50 ms) between
 * tries. Enough for dozens of concurrent writers on one record; past it the ConflictError reaches
 * the caller.
 */
export const MAX_WRITE_ATTEMPTS = 30;

/** What {@link onHead} should do with a logically deleted record. */
export type DeletedPolicy = 'refuse' | 'allow';

/**
 * Reads the head of `id` and runs `write` on it. With `expectedOv` a head at another version is a
 * ConflictError at once (nothing written); without it a lost race re-reads and retries.
 */
export async function onHead<T>(
  engine: Engine,
  op: string,
  id: string,
  expectedOv: number | undefined,
  deleted: DeletedPolicy,
  write: (head: HeadDoc) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const head = await engine.heads.get(id);
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
      if (!(e instanceof ConflictError) || expectedOv !== undefined || attempt >= MAX_WRITE_ATTEMPTS) throw e;
      await delay(Math.random() * Math.min(2 ** attempt, 50));
    }
  }
}
