/**
 * The size limit on stored values. Messages are meant to stay small (the chronos-db API suggests
 * under 256 KB), and one oversize value should fail loudly at
 * the call that sent it rather than when MongoDB's 16 MB document limit is hit.
 */
import { BSON } from 'mongodb';
import { ValidationError, type ErrorIssue } from '../errors.js';

/** Default limit: 256 KB (262,144 bytes) of BSON per `val`, `payload` or `headers`. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** BSON size of `value` as it will be stored (the size of `{ v: value }` minus the wrapper). */
export function bsonSize(value: unknown): number {
  const wrapper = BSON.calculateObjectSize({ v: null });
  return BSON.calculateObjectSize({ v: value }) - wrapper;
}

/**
 * Throws a {@link ValidationError} naming every field of `fields` whose BSON size exceeds
 * `maxBytes`; call it before writing so nothing is stored.
 */
export function assertWithinLimit(fields: Record<string, unknown>, maxBytes: number): void {
  const issues: ErrorIssue[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const size = bsonSize(value);
    if (size > maxBytes) {
      issues.push({
        path: [field],
        message: `is ${size} bytes as BSON; the limit is ${maxBytes} (maxPayloadBytes). Store large content in object storage and send a reference`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'Payload too large');
}
