/**
 * The application data of an identity record, checked and copied before any write. It is stored
 * as BSON under `data`, so it must be JSON (Dates stay Dates), with keys MongoDB can store, and
 * small enough that the document stays under MongoDB's 16 MB limit.
 */
import { BSON } from 'mongodb';
import { ValidationError } from '../errors.js';
import { parseInput } from '../validation/parse-input.js';
import { toJsonValue } from '../validation/json-value.js';
import { dataSchema } from './schemas.js';

/** Largest identity record data, in bytes of BSON (MongoDB documents stop at 16 MB). */
const MAX_IDENTITY_DATA_BYTES = 8 * 1024 * 1024;

const DATA_RULES = { dates: 'date', mongoDocument: true } as const;

/**
 * Returns the exact plain copy of `data` that will be stored, or throws a ValidationError naming
 * the path (under `data`) of what cannot be: `_system`/`_id`, non-JSON values, `$`/`.` keys,
 * nesting deeper than 64 levels, more than {@link MAX_IDENTITY_DATA_BYTES}.
 */
export function checkIdentityData(data: unknown): Record<string, unknown> {
  // The copy is taken from the caller's object itself (before zod rebuilds anything), so what is
  // checked is what is stored, and a getter or Proxy is read once, inside the walk's error handling.
  const clean = toJsonValue(data, ['data'], DATA_RULES) as Record<string, unknown>;
  parseInput(dataSchema, clean, ['data']);
  const size = BSON.calculateObjectSize(clean);
  if (size > MAX_IDENTITY_DATA_BYTES) {
    throw ValidationError.at(['data'], `is ${size} bytes as BSON; the limit is ${MAX_IDENTITY_DATA_BYTES}: store large content in a versioned collection or object storage`);
  }
  return clean;
}
