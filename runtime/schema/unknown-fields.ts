/**
 * Finds the fields of a value that its zod schema does not name. Zod's plain `z.object` strips such
 * fields silently, which for a database is data loss: Chronos refuses them instead, naming each one
 * (docs/design.md, "Decisions the code relies on"). Objects declared loose (`z.looseObject`, a
 * `catchall`) accept any key.
 */
import type { ErrorIssue } from '../errors.js';
import type { ZodSchemaLike } from './zod-shape.js';

type Path = ReadonlyArray<string | number>;

/** The parts of a zod 4 definition the walk reads, beyond {@link ZodSchemaLike}. */
interface WalkDef {
  readonly type: string;
  readonly innerType?: ZodSchemaLike;
  readonly in?: ZodSchemaLike;
  readonly shape?: Readonly<Record<string, ZodSchemaLike>>;
  readonly catchall?: ZodSchemaLike;
  readonly element?: ZodSchemaLike;
  readonly valueType?: ZodSchemaLike;
  readonly items?: readonly ZodSchemaLike[];
  readonly rest?: ZodSchemaLike | null;
  readonly options?: readonly ZodSchemaLike[];
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

function defOf(schema: ZodSchemaLike): WalkDef {
  let def = schema._zod.def as WalkDef;
  while (WRAPPERS.has(def.type) && def.innerType) def = def.innerType._zod.def as WalkDef;
  // A pipe (`.transform`, `z.preprocess`) reads its input with the schema on the left.
  return def.type === 'pipe' && def.in ? defOf(def.in) : def;
}

function isRecordValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(schema: ZodSchemaLike, value: unknown, path: Path, out: ErrorIssue[]): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (!isRecordValue(value) || !def.shape) return;
      const closed = def.catchall === undefined || def.catchall._zod.def.type === 'never';
      for (const [key, field] of Object.entries(value)) {
        const known = def.shape[key];
        if (known) walk(known, field, [...path, key], out);
        else if (closed) out.push({ path: [...path, key], message: `unknown field "${key}": the declaration does not name it (remove it, or add it to the schema)` });
        else if (def.catchall) walk(def.catchall, field, [...path, key], out);
      }
      return;
    }
    case 'array':
      if (Array.isArray(value) && def.element) value.forEach((item, i) => walk(def.element as ZodSchemaLike, item, [...path, i], out));
      return;
    case 'tuple':
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        const itemSchema = def.items?.[i] ?? def.rest ?? undefined;
        if (itemSchema) walk(itemSchema, item, [...path, i], out);
      });
      return;
    case 'record':
      if (isRecordValue(value) && def.valueType) for (const [key, field] of Object.entries(value)) walk(def.valueType, field, [...path, key], out);
      return;
    case 'union': {
      // The value is fine when one option names all its fields; otherwise report the closest option.
      let best: ErrorIssue[] | undefined;
      for (const option of def.options ?? []) {
        const found: ErrorIssue[] = [];
        walk(option, value, path, found);
        if (found.length === 0) return;
        if (!best || found.length < best.length) best = found;
      }
      if (best) out.push(...best);
      return;
    }
    default:
      return;
  }
}

/** One issue per field of `value` (at any depth) that `schema` does not name; empty when there is none. */
export function unknownFieldIssues(schema: ZodSchemaLike, value: unknown, prefix: Path = []): ErrorIssue[] {
  const out: ErrorIssue[] = [];
  walk(schema, value, prefix, out);
  return out;
}
