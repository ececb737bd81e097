/**
 * Records a typed repository has already validated against its declaration: the repository
 * marks the parsed data it hands to the engine, and the engine's check of the same declaration
 * (`schemaValidator`) takes a marked record as checked instead of running the schema again. Only
 * the validation functions can mark (this module is internal), and a marked record is frozen, so
 * nothing can change it between the two.
 */
import type { CollectionHandle } from './define-collection.js';

const checked = new WeakMap<object, CollectionHandle>();

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
}

/** Marks `data` (the schema's output for `definition`) as validated, freezing it. */
export function markValidated<T extends Record<string, unknown>>(data: T, definition: CollectionHandle): T {
  deepFreeze(data);
  checked.set(data, definition);
  return data;
}

/** True when `data` is a record {@link markValidated} marked for `definition`. */
export function isValidatedFor(data: unknown, definition: CollectionHandle): boolean {
  return typeof data === 'object' && data !== null && checked.get(data) === definition;
}
