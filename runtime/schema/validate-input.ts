/**
 * Validation the generated repositories run before every write, with the declaration's own zod
 * schema: a failure is a {@link ValidationError} carrying zod's issue paths, and nothing is sent
 * to the engine.
 */
import type { ZodObject, ZodType, core } from 'zod';
import { ValidationError, type ErrorIssue } from '../errors.js';
import type { AnyCollectionDefinition } from './define-collection.js';

type Path = ReadonlyArray<string | number>;

function toIssues(issues: readonly core.$ZodIssue[], prefix: Path): ErrorIssue[] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }));
}

function refuseSystemFields(input: unknown, prefix: Path): ErrorIssue[] {
  if (typeof input === 'object' && input !== null && Object.hasOwn(input, '_system')) {
    return [{ path: [...prefix, '_system'], message: 'system fields are kept by Chronos and cannot be written: remove _system' }];
  }
  return [];
}

function parseInto(schema: ZodType, input: unknown, prefix: Path, issues: ErrorIssue[]): Record<string, unknown> {
  const system = refuseSystemFields(input, prefix);
  issues.push(...system);
  const result = schema.safeParse(input);
  if (!result.success) {
    issues.push(...toIssues(result.error.issues, prefix));
    return {};
  }
  return result.data as Record<string, unknown>;
}

function entityIssues(definition: AnyCollectionDefinition, data: Record<string, unknown>, prefix: Path): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const entity of definition.entities) {
    const value = data[entity.property];
    if (value !== undefined && value !== null) parseInto(entity.collection.schema, value, [...prefix, entity.property], issues);
  }
  return issues;
}

/**
 * Validates one record (and each embedded entity against its own collection's schema); returns
 * the parsed data (defaults applied) or throws a {@link ValidationError} listing every issue.
 */
export function validateRecord(definition: AnyCollectionDefinition, input: unknown): Record<string, unknown> {
  const issues: ErrorIssue[] = [];
  const data = parseInto(definition.schema, input, [], issues);
  if (issues.length === 0) issues.push(...entityIssues(definition, data, []));
  if (issues.length > 0) throw new ValidationError(issues, `Invalid ${definition.name} record`);
  return data;
}

/** Validates every record before any is written; issue paths start with the record's index. */
export function validateRecords(definition: AnyCollectionDefinition, inputs: readonly unknown[]): Record<string, unknown>[] {
  const issues: ErrorIssue[] = [];
  const out = inputs.map((input, i) => {
    const before = issues.length;
    const data = parseInto(definition.schema, input, [i], issues);
    if (issues.length === before) issues.push(...entityIssues(definition, data, [i]));
    return data;
  });
  if (issues.length > 0) throw new ValidationError(issues, `Invalid ${definition.name} records`);
  return out;
}

/** Object schemas made deep-partial, without defaults (an enrichment must not reset untouched fields). */
function deepPartial(schema: ZodType): ZodType {
  const def = schema._zod.def as { type: string; innerType?: ZodType; shape?: Record<string, ZodType> };
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
      return deepPartial(def.innerType as ZodType);
    case 'nullable':
      return deepPartial(def.innerType as ZodType).nullable();
    case 'object': {
      const object = schema as ZodObject;
      const shape: Record<string, ZodType> = {};
      for (const [key, field] of Object.entries(object.shape)) shape[key] = deepPartial(field as ZodType).optional();
      return object.extend(shape);
    }
    default:
      return schema;
  }
}

const partials = new WeakMap<AnyCollectionDefinition, ZodType>();

/** Validates an enrichment patch (or list of patches) against the deep-partial schema; returns the parsed patch(es). */
export function validatePatch<P>(definition: AnyCollectionDefinition, patch: P): P {
  let schema = partials.get(definition);
  if (!schema) {
    schema = deepPartial(definition.schema);
    partials.set(definition, schema);
  }
  const issues: ErrorIssue[] = [];
  const parsed = Array.isArray(patch)
    ? patch.map((p, i) => parseInto(schema, p, [i], issues))
    : parseInto(schema, patch, [], issues);
  if (issues.length > 0) throw new ValidationError(issues, `Invalid ${definition.name} enrichment`);
  return parsed as P;
}
