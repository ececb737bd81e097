/**
 * Upcasters: how a collection brings data written under an older revision of its declaration to
 * the current one. `upcasters[n]` turns data of revision `n - 1` into data of revision `n`; a
 * revision without one (a compatible change, e.g. an optional field added) needs none. The
 * chain is followed from the version's revision to the current one, and the result is parsed by
 * the current schema (defaults applied). Stored versions are never rewritten.
 */
import { UpcastError, type ErrorIssue } from '../errors.js';
import { runtimeSchema } from './zod-shape.js';
import { fromZodIssues } from '../validation/zod-issues.js';

/**
 * The upcasters of a declaration, by the revision each one produces. Typed by the generated
 * `<Collection>Upcasters<Current>` (from `generated/<collection>.revisions.ts`) with `satisfies`,
 * so each one takes the previous revision's data and must return the next one's.
 */
export type UpcasterMap = { readonly [revision: number]: (previous: never) => unknown };

/** What the upgrade of a declaration needs from it. */
export interface UpcastSource {
  readonly name: string;
  readonly schema: object;
  readonly upcasters: UpcasterMap;
  /** Set by the generated `collections` from the lock file; see {@link currentRevision}. */
  readonly revision?: number;
}

/**
 * The current revision of a declaration: the one `chronos generate` recorded in the lock file
 * (the generated `collections` carry it). A declaration given without it counts from its
 * upcasters: every revision after the last upcaster is compatible, so no data is misread by it.
 */
export function currentRevision(source: Pick<UpcastSource, 'upcasters' | 'revision'>): number {
  if (source.revision !== undefined) return source.revision;
  return Math.max(1, ...Object.keys(source.upcasters).map(Number));
}

/** The message of whatever an upcaster threw. */
function thrownText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The upgrade the engine runs on data of another revision (see `CollectionSettings.upgrade`):
 * the upcasters from `from + 1` to the current revision, then the current schema. Data from a
 * newer revision (written by a newer deployment) is parsed by the current schema only.
 */
export function upgraderOf(source: UpcastSource): (data: Record<string, unknown>, from: number, version: { id: string; ov: number }) => Record<string, unknown> {
  const schema = runtimeSchema(source.schema);
  const target = currentRevision(source);
  const steps = source.upcasters as Readonly<Record<number, (previous: unknown) => unknown>>;
  return (data, from, version) => {
    const fail = (issues: ErrorIssue[], cause?: unknown) =>
      new UpcastError({ collection: source.name, id: version.id, ov: version.ov, revision: from, targetRevision: target, issues, cause });
    let value: unknown = data;
    for (let n = from + 1; n <= target; n += 1) {
      const step = steps[n];
      if (!step) continue;
      try {
        value = step(structuredClone(value));
      } catch (e) {
        throw fail([{ path: [], message: `the upcaster to revision ${n} threw: ${thrownText(e)}` }], e);
      }
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      throw fail(fromZodIssues(result.error.issues));
    }
    return result.data as Record<string, unknown>;
  };
}
