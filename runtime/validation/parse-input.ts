/**
 * Turns zod's verdict on caller input into the {@link ValidationError} every Chronos API raises,
 * so each issue keeps its path (`payload`, `filter.$or[1].email`) and the caller sees them all.
 */
import type { z } from 'zod';
import { ValidationError, type ErrorIssue } from '../errors.js';

/**
 * Parses `input` with `schema` and returns the parsed value, or throws a {@link ValidationError}
 * whose issues carry zod's paths (prefixed with `prefix`). Call it before any write so bad
 * input never reaches the database.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: ReadonlyArray<string | number> = [],
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((issue) => ({
    // zod paths may hold symbols (never for JSON-like input); keep what a user can read.
    path: [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')],
    message: issue.message,
  }));
  throw new ValidationError(issues);
}
