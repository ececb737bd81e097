/**
 * The one mapping of zod issues to {@link ErrorIssue}: every schema check of Chronos (config,
 * routes, caller input, declared collections, upcasters, analytics rules) reports its issues
 * through {@link fromZodIssues}, so each keeps zod's `code` and its path as keys and indices
 * (printed `a.b[0]` by `formatIssuePath` in `errors.ts`).
 */
import type { ErrorIssue } from '../errors.js';

/** The parts of a zod issue Chronos reads (zod 4's `$ZodIssue` has them all). */
export interface ZodIssueLike {
  /** zod's issue code: `invalid_type`, `too_small`, `unrecognized_keys`, `custom`, … */
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** How {@link fromZodIssues} maps issues. */
export interface ZodIssueMapping<I extends ZodIssueLike> {
  /** Put before every path: where the parsed value sits in the caller's input. */
  prefix?: ReadonlyArray<string | number>;
  /** The message of an issue; default zod's. */
  message?: (issue: I) => string;
}

/** A path segment as a caller reads it: keys and indices as they are, a symbol key by its description. */
function segment(part: PropertyKey): string | number {
  return typeof part === 'symbol' ? String(part) : part;
}

/** One zod issue as an {@link ErrorIssue}: zod's code, the path (after `prefix`) and the message. */
function fromZodIssue<I extends ZodIssueLike>(issue: I, mapping: ZodIssueMapping<I> = {}): ErrorIssue {
  return {
    code: issue.code,
    path: [...(mapping.prefix ?? []), ...issue.path.map(segment)],
    message: mapping.message ? mapping.message(issue) : issue.message,
  };
}

/** Every issue of a failed `safeParse`, each through {@link fromZodIssue}. */
export function fromZodIssues<I extends ZodIssueLike>(issues: readonly I[], mapping: ZodIssueMapping<I> = {}): ErrorIssue[] {
  return issues.map((issue) => fromZodIssue(issue, mapping));
}
