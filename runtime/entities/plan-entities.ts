/**
 * Checks entity mappings and the record they apply to, and works out, without any I/O, which
 * entity goes where. Everything here runs before the first write, so bad input is refused with
 * nothing written.
 */
import { ALL_TIERS, CONFIG_DATABASE_TYPES } from '../config/vocabulary.js';
import { ValidationError, type ErrorIssue } from '../errors.js';
import { isEntityKeyValue, readKeyPath, entityId, type EntityKeyValue } from './entity-key.js';
import type { EntityMapping, EntityOps, EntityResolver } from './entity-types.js';
import { isPlainObject } from '../validation/plain-object.js';

const DATABASE_TYPES: readonly string[] = CONFIG_DATABASE_TYPES;
const TIERS: readonly string[] = ALL_TIERS;

/** One entity to save: its mapping, its handle, its data, its key and the id it gets when created. */
export interface EntityPlan {
  mapping: EntityMapping;
  /** Position of the mapping in the caller's list, for error paths. */
  index: number;
  ops: EntityOps;
  data: Record<string, unknown>;
  key: EntityKeyValue;
  /** The deterministic id used when the entity has to be created (see {@link entityId}). */
  id: string;
}


function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Refuses a mappings list that is not an array of well-formed mappings with distinct `property`s. */
export function checkMappings(mappings: unknown): readonly EntityMapping[] {
  if (!Array.isArray(mappings)) {
    throw ValidationError.at(['mappings'], 'expected an array of entity mappings ({ property, collection, keyProperty })');
  }
  const issues: ErrorIssue[] = [];
  const seen = new Set<string>();
  mappings.forEach((m: unknown, i) => {
    if (!isPlainObject(m)) {
      issues.push({ path: ['mappings', i], message: 'expected an object { property, collection, keyProperty, databaseType?, tier? }' });
      return;
    }
    for (const field of ['property', 'collection', 'keyProperty'] as const) {
      if (!nonEmptyString(m[field])) issues.push({ path: ['mappings', i, field], message: `${field} is required: give a non-empty string` });
    }
    if (m.databaseType !== undefined && !DATABASE_TYPES.includes(m.databaseType as string)) {
      issues.push({ path: ['mappings', i, 'databaseType'], message: `expected one of ${DATABASE_TYPES.join(', ')}, or leave it out to use the record's own` });
    }
    if (m.tier !== undefined && !TIERS.includes(m.tier as string)) {
      issues.push({ path: ['mappings', i, 'tier'], message: `expected one of ${TIERS.join(', ')}, or leave it out to use the record's own` });
    }
    if (nonEmptyString(m.property)) {
      if (seen.has(m.property)) issues.push({ path: ['mappings', i, 'property'], message: `"${m.property}" is mapped twice: give each property one mapping` });
      seen.add(m.property);
    }
  });
  if (issues.length > 0) throw new ValidationError(issues, 'Invalid entity mappings');
  return mappings as EntityMapping[];
}

/**
 * Validates `record` against `mappings` and resolves each mapping's handle. A mapping whose
 * property is absent (undefined or null) in the record is skipped: that record has no such entity.
 * Throws ValidationError for malformed input and whatever `opsFor` throws (a RouteError for a tier
 * that is not configured), always before anything is written.
 */
export function planEntities(resolver: EntityResolver, record: unknown, mappings: unknown): EntityPlan[] {
  const checked = checkMappings(mappings);
  if (!isPlainObject(record)) {
    throw ValidationError.at(['record'], 'expected a plain object of application data');
  }
  // The engine refuses these too, but only when the main record is created, after the entities.
  for (const reserved of ['_id', '_system']) {
    if (reserved in record) throw ValidationError.at(['record', reserved], `${reserved} is managed by Chronos: remove it from the input`);
  }
  const plans: EntityPlan[] = [];
  checked.forEach((mapping, index) => {
    const value = record[mapping.property];
    if (value === undefined || value === null) return;
    if (!isPlainObject(value)) {
      throw ValidationError.at(['record', mapping.property], `mapped to entity collection ${mapping.collection}: expected an object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
    }
    const key = readKeyPath(value, mapping.keyProperty);
    if (!isEntityKeyValue(key)) {
      throw ValidationError.at(
        ['record', mapping.property, ...mapping.keyProperty.split('.')],
        `the entity key ${mapping.keyProperty} is missing or not a string, number or boolean: give every ${mapping.property} its key`,
      );
    }
    const { _id: _ignoredId, _system: _ignoredSystem, ...data } = value;
    plans.push({
      mapping,
      index,
      ops: resolver.opsFor(mapping),
      data,
      key,
      id: entityId(resolver.scopeOf(mapping), mapping.collection, mapping.keyProperty, key),
    });
  });
  return plans;
}
