/**
 * Structural access to zod 4 schema definitions (`schema._zod.def`), shared by the DSL checks
 * and the validators. Structural on purpose: declarations loaded by the CLI may come from another
 * copy of zod than the one the runtime sees, so `instanceof` would lie.
 */

/** The part of a zod 4 schema definition Chronos reads. */
export interface ZodDefLike {
  readonly type: string;
  readonly innerType?: ZodSchemaLike;
  readonly shape?: Readonly<Record<string, ZodSchemaLike>>;
}

/** Any zod 4 schema, seen through its definition. */
export interface ZodSchemaLike {
  readonly _zod: { readonly def: ZodDefLike };
}

/** True when `value` looks like a zod 4 schema. */
export function isZodSchema(value: unknown): value is ZodSchemaLike {
  const zod = (value as { _zod?: { def?: { type?: unknown } } } | null)?._zod;
  return typeof zod?.def?.type === 'string';
}

/** Wrappers that change optionality or defaults but not the shape of the value inside. */
const TRANSPARENT = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

/** The schema under optional/nullable/default wrappers. */
export function unwrap(schema: ZodSchemaLike): ZodSchemaLike {
  let current = schema;
  while (TRANSPARENT.has(current._zod.def.type) && current._zod.def.innerType) current = current._zod.def.innerType;
  return current;
}

/** The schema of the field at a dot path inside an object schema, or undefined when there is none. */
export function fieldAt(schema: ZodSchemaLike, path: string): ZodSchemaLike | undefined {
  let current: ZodSchemaLike | undefined = schema;
  for (const part of path.split('.')) {
    const def: ZodDefLike | undefined = current ? unwrap(current)._zod.def : undefined;
    if (!def || def.type !== 'object' || !def.shape) return undefined;
    current = def.shape[part];
  }
  return current;
}

/** One problem zod found, as Chronos reads it. */
export interface RuntimeIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The methods of a zod schema Chronos calls at run time. */
export interface RuntimeSchema extends ZodSchemaLike {
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly RuntimeIssue[] } };
  optional(): RuntimeSchema;
  nullable(): RuntimeSchema;
  /** A copy of the schema with another definition (zod 4 `clone`); used to drop refinements. */
  clone(def: object): RuntimeSchema;
}

/**
 * Views a zod schema through {@link RuntimeSchema}. Deliberately through `unknown`: having the
 * compiler relate zod's own types to a structural interface costs seconds of type-checking in
 * every program that includes Chronos, for no safety the parse itself does not give.
 */
export function runtimeSchema(schema: unknown): RuntimeSchema {
  return schema as RuntimeSchema;
}
