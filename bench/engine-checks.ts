/**
 * What the bench checks of the engine's answers, so a fast wrong answer (a missing result, a
 * duplicate id, a record that reads back with other data) stops the run instead of flattering
 * a table.
 */
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';
import type { CreateResult } from '../runtime/ops/types.js';

/** Throws unless `results` holds one first version per input, each with its own id. */
export function checkCreated(results: readonly CreateResult[], expected: number, what: string): void {
  if (results.length !== expected) throw new Error(`bench: ${what} gave ${results.length} results for ${expected} records`);
  const ids = new Set<string>();
  for (const [i, r] of results.entries()) {
    if (typeof r?.id !== 'string' || r.id === '') throw new Error(`bench: ${what} result ${i} has no id`);
    if (r.ov !== 0) throw new Error(`bench: ${what} result ${i} is v${r.ov}, expected v0`);
    ids.add(r.id);
  }
  if (ids.size !== results.length) throw new Error(`bench: ${what} gave ${results.length - ids.size} duplicate ids`);
}

/**
 * Reads `sample` of the records back (spread over the list) and throws unless each is there at
 * `ov` with the `n` it was written with: `written[i]` is the result for the document whose `n`
 * is `ns[i]`.
 */
export async function checkReadBack(
  ops: EngineCollectionOps,
  written: ReadonlyArray<{ id: string }>,
  ns: readonly number[],
  what: string,
  sample = written.length,
  ov = 0,
): Promise<void> {
  const step = Math.max(1, Math.floor(written.length / Math.max(1, sample)));
  for (let i = 0; i < written.length; i += step) {
    const id = (written[i] as { id: string }).id;
    const r = await ops.getLatest(id);
    if (!r) throw new Error(`bench: ${what}: record ${i} (${id}) reads back as missing`);
    if (r._system.ov !== ov || r['n'] !== ns[i]) {
      throw new Error(`bench: ${what}: record ${i} (${id}) reads back as v${r._system.ov} n=${String(r['n'])}, expected v${ov} n=${ns[i]}`);
    }
  }
}
