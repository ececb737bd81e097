/**
 * Dates judged by their internal time value, never by methods found on the object: a Date with
 * its own `getTime`, `valueOf`, `toISOString` or `toJSON` (or a Date-looking object that is no
 * Date at all) must not show a check one instant and the store another. The intrinsics are
 * captured when this module loads, so later changes to `Date.prototype` do not reach them either.
 */
import { types } from 'node:util';

const getTime = Date.prototype.getTime;
const toISOString = Date.prototype.toISOString;

/** True when `value` is a real Date (it has the internal time slot), whatever its own props say. */
export function isDate(value: unknown): value is Date {
  return types.isDate(value);
}

/** The time value of a real Date (NaN for an invalid one), read from its internal slot. */
export function timeOf(date: Date): number {
  return getTime.call(date);
}

/** A fresh, plain Date with the time of `date`: own props and overridden methods are left behind. */
export function copyDate(date: Date): Date {
  return new Date(timeOf(date));
}

/** The ISO-8601 form of a valid Date's time value (the same text `JSON.stringify` writes for it). */
export function isoOf(date: Date): string {
  return toISOString.call(copyDate(date));
}

/**
 * Why `date` is not a plain Date, or undefined when it is: a subclass, or own props (an own
 * `toISOString`, `getTime` or `toJSON` would be what JSON or BSON serialisation calls).
 */
export function dateOddity(date: Date): string | undefined {
  if (Object.getPrototypeOf(date) !== Date.prototype) return 'a Date subclass is not plain data: pass a plain Date or an ISO-8601 string';
  const own = Reflect.ownKeys(date);
  if (own.length > 0) {
    return `a Date with own props (${own.map(String).join(', ')}) is not plain data (they could change what is stored): pass a plain Date or an ISO-8601 string`;
  }
  return undefined;
}
