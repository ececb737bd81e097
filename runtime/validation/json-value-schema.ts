/**
 * {@link toJsonValue} as a zod schema, for inputs validated with zod (messaging, identities):
 * each refusal becomes a zod issue at its path, so {@link parseInput} reports it like any other.
 */
import { z } from 'zod';
import { isChronosError, type ValidationError } from '../errors.js';
import { toJsonValue, type JsonValueRules } from './json-value.js';

/**
 * A schema accepting any value {@link toJsonValue} accepts under `rules` and giving its plain
 * copy; `undefined` passes through (wrap with `.optional()` semantics in mind).
 */
export function jsonValueSchema(rules: JsonValueRules) {
  return z.unknown().transform((value, ctx) => {
    if (value === undefined) return undefined;
    try {
      return toJsonValue(value, [], rules);
    } catch (error) {
      if (!isChronosError(error)) throw error;
      for (const issue of (error as ValidationError).issues) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
      return z.NEVER;
    }
  });
}
