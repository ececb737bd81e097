/**
 * {@link toJsonValue} for inputs validated with zod (messaging, identities): each refusal
 * becomes a zod issue at its path, so {@link parseInput} reports it like any other.
 */
import { z } from 'zod';
import { isChronosError, type ValidationError } from '../errors.js';
import { toJsonValue, type JsonValueRules } from './json-value.js';

/**
 * A zod `.transform` step giving the plain copy of the value under `rules`, or adding an issue
 * per refusal; `undefined` passes through.
 *
 * @example
 * ```ts
 * const payload = z.unknown().transform(jsonValueTransform({ dates: 'date', mongoDocument: true }));
 * ```
 */
export function jsonValueTransform<T>(rules: JsonValueRules): (value: T, ctx: z.RefinementCtx<T>) => T {
  return (value, ctx) => {
    if (value === undefined) return value;
    try {
      return toJsonValue(value, [], rules) as T;
    } catch (error) {
      if (!isChronosError(error)) throw error;
      for (const issue of (error as ValidationError).issues) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
      return z.NEVER;
    }
  };
}
