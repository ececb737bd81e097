/**
 * Run-time checks of a collection declaration: the same rules the compiler enforces for
 * TypeScript callers, for declarations written in JavaScript or built dynamically.
 */
import { ConfigError, type ErrorIssue } from '../errors.js';
import type { AnyCollectionDefinition, CollectionDefinition, ObjectSchema } from './define-collection.js';

/** A declaration as checked here: any object schema (the checks read it through `runtimeSchema`). */
type CheckedDefinition = CollectionDefinition<string, ObjectSchema, string, unknown>;
import { TIERS_BY_DATABASE_TYPE, type CollectionDatabaseType } from './placement.js';
import { fieldAt, isZodSchema, runtimeSchema, unwrap, type ZodSchemaLike } from './zod-shape.js';

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkPlacement(definition: CheckedDefinition, issues: ErrorIssue[]): void {
  if (definition.locations.length === 0) {
    issues.push({ path: ['placement'], message: 'no database type and tier given: say where the collection lives, e.g. { databaseType: "runtime", tiers: ["tenant"] }' });
  }
  definition.locations.forEach((location, i) => {
    const allowed = TIERS_BY_DATABASE_TYPE[location.databaseType as CollectionDatabaseType] as readonly string[] | undefined;
    if (!allowed) issues.push({ path: ['placement', i, 'databaseType'], message: `unknown database type "${location.databaseType}"` });
    else if (!allowed.includes(location.tier)) {
      issues.push({ path: ['placement', i, 'tiers'], message: `${location.databaseType} has no "${location.tier}" tier (it has ${allowed.join(', ')})` });
    }
  });
}

function checkProps(definition: CheckedDefinition, issues: ErrorIssue[]): void {
  definition.indexedProps.forEach((prop, i) => {
    if (!fieldAt(runtimeSchema(definition.schema), prop)) issues.push({ path: ['indexedProps', i], message: `"${prop}" is not a field of the schema` });
  });
  for (const prop of definition.validation.requiredIndexed ?? []) {
    if (!definition.indexedProps.includes(prop)) issues.push({ path: ['validation', 'requiredIndexed'], message: `"${prop}" is not an indexed prop: add it to indexedProps` });
  }
  for (const prop of Object.keys(definition.base64Props)) {
    const field = fieldAt(runtimeSchema(definition.schema), prop);
    if (!field || unwrap(field)._zod.def.type !== 'string') issues.push({ path: ['base64Props', prop], message: `"${prop}" must be a string field of the schema` });
  }
}

function checkEntities(definition: CheckedDefinition, issues: ErrorIssue[]): void {
  definition.entities.forEach((entity, i) => {
    const path = ['entities', i];
    const field = fieldAt(runtimeSchema(definition.schema), entity.property);
    if (!field) issues.push({ path: [...path, 'property'], message: `"${entity.property}" is not a field of the schema` });
    else if (unwrap(field)._zod.def.type === 'array') {
      issues.push({ path: [...path, 'property'], message: `"${entity.property}" holds an array: an entity property holds one entity (an object), so map an object field; arrays of entities are not supported` });
    }
    const target = entity.collection as AnyCollectionDefinition | string;
    if (typeof target !== 'object' || !target || !Array.isArray(target.indexedProps)) {
      issues.push({ path: [...path, 'collection'], message: 'must be a collection object made by defineCollection, not a name' });
      return;
    }
    if (!target.indexedProps.includes(entity.keyProperty)) {
      issues.push({ path: [...path, 'keyProperty'], message: `"${entity.keyProperty}" is not an indexed prop of ${target.name}: entities are looked up by it, so index it there` });
    }
    if (!target.locations.some((l) => l.databaseType === entity.databaseType && l.tier === entity.tier)) {
      issues.push({ path: [...path, 'tier'], message: `${target.name} is not placed in ${entity.databaseType}/${entity.tier}` });
    }
  });
}

/** Operators whose argument is one value of the field, and those whose argument is a list of them. */
const VALUE_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);
const LIST_OPERATORS = new Set(['$in', '$nin']);

/**
 * Checks a `when` value against the field's schema: an equality value, or each operand of an
 * operator object, must be a value the field can hold (an enum value outside the enum, or a
 * string for a number, would make a counter that never fires). Operators themselves are checked
 * by the counter rule schema.
 */
function checkWhenValue(field: ZodSchemaLike | undefined, value: unknown, path: Array<string | number>, issues: ErrorIssue[]): void {
  if (!field) return;
  const schema = runtimeSchema(field);
  const fits = (v: unknown) => schema.safeParse(v).success;
  const describe = (v: unknown) => `${JSON.stringify(v)} is not a value of the field${enumValues(field)}`;
  const isOperators = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith('$'));
  if (!isOperators) {
    if (!fits(value)) issues.push({ path, message: describe(value) });
    return;
  }
  for (const [op, arg] of Object.entries(value as Record<string, unknown>)) {
    if (VALUE_OPERATORS.has(op) && !fits(arg)) issues.push({ path: [...path, op], message: describe(arg) });
    if (LIST_OPERATORS.has(op) && Array.isArray(arg)) {
      arg.forEach((item, j) => {
        if (!fits(item)) issues.push({ path: [...path, op, j], message: describe(item) });
      });
    }
  }
}

/** ` (one of 'a', 'b')` for an enum field, else nothing. */
function enumValues(field: ZodSchemaLike): string {
  const def = unwrap(field)._zod.def as { type: string; entries?: Record<string, unknown> };
  return def.type === 'enum' && def.entries ? ` (one of ${Object.values(def.entries).map((v) => JSON.stringify(v)).join(', ')})` : '';
}

function checkCounterRules(definition: CheckedDefinition, issues: ErrorIssue[]): void {
  const schema = runtimeSchema(definition.schema);
  definition.counterRules.forEach((rule, i) => {
    const meta = (rule.scope ?? 'meta') === 'meta';
    const known = (path: string) => (meta && definition.indexedProps.length > 0 ? definition.indexedProps.includes(path) : fieldAt(schema, path) !== undefined);
    const what = meta && definition.indexedProps.length > 0 ? 'an indexed prop (scope "meta" reads indexed props; use scope "payload" for other fields)' : 'a field of the schema';
    for (const [key, value] of Object.entries(rule.when ?? {})) {
      if (!known(key)) issues.push({ path: ['counterRules', i, 'when', key], message: `"${key}" is not ${what}: the rule would never match` });
      else checkWhenValue(fieldAt(schema, key), value, ['counterRules', i, 'when', key], issues);
    }
    (rule.countUnique ?? []).forEach((prop, j) => {
      if (!known(prop)) issues.push({ path: ['counterRules', i, 'countUnique', j], message: `"${prop}" is not ${what}` });
    });
    if (rule.collection !== undefined && rule.collection !== definition.name) {
      issues.push({ path: ['counterRules', i, 'collection'], message: `a declared rule counts its own collection ("${definition.name}"): remove collection` });
    }
  });
}

function checkUpcasters(definition: CheckedDefinition, issues: ErrorIssue[]): void {
  for (const [key, upcaster] of Object.entries(definition.upcasters ?? {})) {
    const revision = Number(key);
    if (!Number.isSafeInteger(revision) || revision < 2) {
      issues.push({ path: ['upcasters', key], message: 'an upcaster is keyed by the revision it produces: a whole number from 2 (revision 1 has no predecessor)' });
    } else if (typeof upcaster !== 'function') {
      issues.push({ path: ['upcasters', key], message: `expected a function from revision ${revision - 1}'s data to revision ${revision}'s` });
    }
  }
}

/** The keys a declaration, and each of its entity mappings, may have. */
const DECLARATION_KEYS = ['name', 'schema', 'indexedProps', 'base64Props', 'entities', 'counterRules', 'validation', 'placement', 'displayField', 'upcasters'];
const ENTITY_KEYS = ['property', 'collection', 'keyProperty', 'databaseType', 'tier', 'domain'];

/** Unknown keys (a typo such as `indexedprops`, or an option of another version) are refused, not ignored. */
function checkKeys(raw: object, issues: ErrorIssue[]): void {
  const unknown = (value: unknown, known: readonly string[], path: Array<string | number>) => {
    if (typeof value !== 'object' || value === null) return;
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) issues.push({ path: [...path, key], message: `"${key}" is not a declaration key (known: ${known.join(', ')})` });
    }
  };
  unknown(raw, DECLARATION_KEYS, []);
  const entities = (raw as { entities?: unknown }).entities;
  if (Array.isArray(entities)) entities.forEach((entity, i) => unknown(entity, ENTITY_KEYS, ['entities', i]));
}

/**
 * Throws a {@link ConfigError} listing every problem of a declaration; returns when there is none.
 * `raw` is the object the caller wrote, checked for unknown keys.
 */
export function checkDeclaration(definition: CheckedDefinition, raw?: object): void {
  const issues: ErrorIssue[] = [];
  if (raw) checkKeys(raw, issues);
  if (!NAME_PATTERN.test(definition.name)) {
    issues.push({ path: ['name'], message: 'use letters, digits and _ only, starting with a letter (it prefixes Mongo collections)' });
  }
  if (!isZodSchema(definition.schema) || runtimeSchema(definition.schema)._zod.def.type !== 'object') {
    issues.push({ path: ['schema'], message: 'must be a zod object schema (z.object({...}))' });
  } else {
    checkProps(definition, issues);
    checkEntities(definition, issues);
    checkCounterRules(definition, issues);
    if (definition.displayField !== undefined && fieldAt(runtimeSchema(definition.schema), definition.displayField) === undefined) {
      issues.push({ path: ['displayField'], message: `"${definition.displayField}" is not a field of the schema` });
    }
  }
  checkPlacement(definition, issues);
  checkUpcasters(definition, issues);
  if (issues.length > 0) throw new ConfigError(issues, `Invalid declaration of collection "${definition.name}"`);
}
