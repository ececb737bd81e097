/**
 * Strings that are stored in MongoDB as they are given: UTF-8 cannot hold a lone UTF-16
 * surrogate, so BSON would store U+FFFD instead and a later lookup would not find the value.
 */
import { z } from 'zod';

/** True when `value` has no lone UTF-16 surrogate. */
export function isWellFormed(value: string): boolean {
  return !/\p{Surrogate}/u.test(value);
}

/** The message of {@link wellFormedString}'s refusal. */
const WELL_FORMED_MESSAGE = 'must be well-formed Unicode (no lone UTF-16 surrogate): MongoDB stores UTF-8';

/** A zod string schema that also refuses lone surrogates. */
export function wellFormedString(error?: string) {
  return z.string(error === undefined ? undefined : { error }).refine(isWellFormed, WELL_FORMED_MESSAGE);
}
