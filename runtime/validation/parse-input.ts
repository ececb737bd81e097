/**
 * Turns zod's verdict on caller input into the {@link ValidationError} every Chronos API raises,
 * so each issue keeps its path (`payload`, `filter.$or[1].email`) and the caller sees them all.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import { fromZodIssues } from './zod-issues.js';

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
  throw new ValidationError(fromZodIssues(result.error.issues, { prefix }));
}
