/**
 * Validation the generated repositories run before every write, with the declaration's own zod
 * schema: a failure is a {@link ValidationError} carrying zod's issue paths, and nothing is sent
 * to the engine.
 */
import { ValidationError, isChronosError, type ErrorIssue } from '../errors.js';
import { toJsonValue } from '../validation/json-value.js';
import type { CollectionHandle } from './define-collection.js';
import { unknownFieldIssues } from './unknown-fields.js';
import { runtimeSchema, type RuntimeSchema } from './zod-shape.js';
import { fromZodIssues } from '../validation/zod-issues.js';
import { isValidatedFor, markValidated } from './validated-records.js';

type Path = ReadonlyArray<string | number>;

function refuseSystemFields(input: unknown, prefix: Path): ErrorIssue[] {
  if (typeof input === 'object' && input !== null && Object.hasOwn(input, '_system')) {
    return [{ path: [...prefix, '_system'], message: 'system fields are kept by Chronos and cannot be written: remove _system' }];
  }
  return [];
}

/**
 * The rules of the engine's own copy (Dates become ISO strings, as stored), so the schema here
 * judges the same data the engine's check of the declaration (`schemaValidator`) will.
 */
const SNAPSHOT_RULES = { dates: 'iso-string', mongoDocument: false } as const;

/**
 * The caller's input read once into plain data (see `toJsonValue`), before zod sees it: zod would
 * read a getter again for each check, and call nothing the store calls, so the schema and the
 * store could be shown two different values. Undefined when refused (the issues say why).
 */
function snapshotOf(input: unknown, prefix: Path, issues: ErrorIssue[]): unknown {
  try {
    return toJsonValue(input, prefix, SNAPSHOT_RULES);
  } catch (error) {
    if (!isChronosError(error)) throw error;
    issues.push(...(error as ValidationError).issues);
    return undefined;
  }
}

function parseInto(schema: RuntimeSchema, raw: unknown, prefix: Path, issues: ErrorIssue[], snapshot = true): Record<string, unknown> {
  const before = issues.length;
  const input = snapshot ? snapshotOf(raw, prefix, issues) : raw;
  if (issues.length > before) return {};
  issues.push(...refuseSystemFields(input, prefix));
  // Zod strips fields a plain z.object does not name; dropping a caller's data is data loss, so refuse them.
  const unknown = unknownFieldIssues(schema, input, prefix).filter((issue) => issue.path[prefix.length] !== '_system');
  if (unknown.length > 0) {
    issues.push(...unknown);
    return {};
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    issues.push(...fromZodIssues(result.error.issues, { prefix }));
    return {};
  }
  return result.data as Record<string, unknown>;
}

function entityIssues(definition: CollectionHandle, data: Record<string, unknown>, prefix: Path): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const entity of definition.entities) {
    const value = data[entity.property];
    if (value !== undefined && value !== null) parseInto(runtimeSchema(entity.collection.schema), value, [...prefix, entity.property], issues);
  }
  return issues;
}

/**
 * The headline of every refusal by a declaration's schema, the same whether the typed repository
 * or the engine refused the input: `what` is `record`, `records` or `enrichment`.
 */
function refusedBy(definition: CollectionHandle, what: 'record' | 'records' | 'enrichment'): string {
  return `Invalid ${definition.name} ${what} (it does not match the collection's declaration)`;
}

/**
 * The check the engine runs on every write of a declared collection (`chronos.with()`,
 * repositories, `createMany`, entity upserts, the merged result of `enrich`, fallback replays):
 * the record must match the declaration's schema, with no field it does not name. Returns the
 * parsed data (defaults applied); throws a {@link ValidationError} with zod's paths after `prefix`.
 * A record a typed repository already validated with the same declaration ({@link validateRecord},
 * {@link validateRecords}) is not parsed again: each write runs the schema once.
 */
export function schemaValidator(definition: CollectionHandle): (data: Record<string, unknown>, prefix: Path, source?: unknown) => Record<string, unknown> {
  const schema = runtimeSchema(definition.schema);
  return (data, prefix, source) => {
    // A typed repository checked this very record with this declaration: `data` is its copy.
    if (isValidatedFor(source, definition)) return data;
    const issues: ErrorIssue[] = [];
    // `data` is already the engine's plain copy of the input.
    const parsed = parseInto(schema, data, prefix, issues, false);
    if (issues.length > 0) throw new ValidationError(issues, refusedBy(definition, 'record'));
    return parsed;
  };
}

/**
 * Validates one record (and each embedded entity against its own collection's schema); returns
 * the parsed data (defaults applied) or throws a {@link ValidationError} listing every issue.
 */
export function validateRecord(definition: CollectionHandle, input: unknown): Record<string, unknown> {
  const issues: ErrorIssue[] = [];
  const data = parseInto(runtimeSchema(definition.schema), input, [], issues);
  if (issues.length === 0) issues.push(...entityIssues(definition, data, []));
  if (issues.length > 0) throw new ValidationError(issues, refusedBy(definition, 'record'));
  return markValidated(data, definition);
}

/** Validates every record before any is written; issue paths start with the record's index. */
export function validateRecords(definition: CollectionHandle, inputs: readonly unknown[]): Record<string, unknown>[] {
  const issues: ErrorIssue[] = [];
  const schema = runtimeSchema(definition.schema);
  const out = inputs.map((input, i) => {
    const before = issues.length;
    const data = parseInto(schema, input, [i], issues);
    if (issues.length === before) issues.push(...entityIssues(definition, data, [i]));
    return data;
  });
  if (issues.length > 0) throw new ValidationError(issues, refusedBy(definition, 'records'));
  return out.map((data) => markValidated(data, definition));
}

/**
 * Object schemas made deep-partial, without defaults (an enrichment must not reset untouched
 * fields) and without whole-object refinements (`.refine`, `.superRefine`), which a partial
 * patch cannot be expected to satisfy: the engine checks the merged record against the full
 * schema, refinements included.
 */
function deepPartial(schema: RuntimeSchema): RuntimeSchema {
  const def = schema._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
      return deepPartial(runtimeSchema(def.innerType));
    case 'nullable':
      return deepPartial(runtimeSchema(def.innerType)).nullable();
    case 'object': {
      const shape: Record<string, RuntimeSchema> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) shape[key] = deepPartial(runtimeSchema(field)).optional();
      return schema.clone({ ...def, shape, checks: [] });
    }
    default:
      return schema;
  }
}

const partials = new WeakMap<CollectionHandle, RuntimeSchema>();

/** Validates an enrichment patch (or list of patches) against the deep-partial schema; returns the parsed patch(es). */
export function validatePatch<P>(definition: CollectionHandle, patch: P): P {
  let schema = partials.get(definition);
  if (!schema) {
    schema = deepPartial(runtimeSchema(definition.schema));
    partials.set(definition, schema);
  }
  const partial = schema;
  const issues: ErrorIssue[] = [];
  const parsed = Array.isArray(patch) ? patch.map((p, i) => parseInto(partial, p, [i], issues)) : parseInto(partial, patch, [], issues);
  if (issues.length > 0) throw new ValidationError(issues, refusedBy(definition, 'enrichment'));
  return parsed as P;
}
