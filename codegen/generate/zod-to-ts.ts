/**
 * Renders a zod 4 schema as TypeScript type text by walking its definition (`schema._zod.def`).
 * The generated types are plain, closed object types, so the compiler checks them cheaply;
 * `mode` picks the parsed (`output`, defaults applied) or the accepted (`input`) shape.
 */
import { formatIssuePath } from '../../runtime/errors.js';

/**
 * Which side of the schema to render: what `parse` returns, what it accepts, or what `enrich`
 * merges (`patch`: every key optional at every depth of nested objects; arrays whole, as stored).
 */
export type TypeMode = 'input' | 'output' | 'patch';

/** A zod definition as the walker reads it (structural: the declarations' zod may be another copy). */
interface Def {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  items?: Schema[];
  rest?: Schema | null;
  options?: Schema[];
  left?: Schema;
  right?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  values?: unknown[];
  entries?: Record<string, string | number>;
  in?: Schema;
  out?: Schema;
}

interface Schema {
  _zod: { def: Def; values?: Set<unknown> };
  description?: string;
}

/** A zod construct the generator cannot turn into a stored type; names where it is and what to use instead. */
class UnsupportedSchemaError extends Error {
  constructor(
    readonly collection: string,
    readonly path: ReadonlyArray<string | number>,
    readonly construct: string,
    hint: string,
  ) {
    super(`${collection}: unsupported zod construct "${construct}" at ${formatIssuePath(path)}: ${hint}`);
    this.name = 'UnsupportedSchemaError';
  }
}

/**
 * Why a `.transform()` is refused. What `parse` returns is what is stored, and a stored value is
 * parsed again when an older version is read, or a version enriched or restored; a transform's
 * result has no type the generator can see, and a transform that changes the type (string to
 * number) cannot take its own result as input.
 */
const TRANSFORM_HINT =
  'the result of a transform is what is stored, and stored values are parsed again (reads of older versions, enrich, restore), ' +
  'so it needs a declared type that accepts its own result: normalize with z.preprocess(fn, schema) (fn must leave an ' +
  'already-normalized value as it is), validate with checks (.refine, .min), or change stored data with an upcaster';

const HINTS: Record<string, string> = {
  date: 'records are stored as JSON, so dates come back as strings: use z.iso.datetime() (or z.iso.date())',
  bigint: 'records are stored as JSON, which has no bigint: use z.string() or z.number()',
  transform: TRANSFORM_HINT,
  lazy: 'recursive schemas have no closed type: nest a fixed number of levels',
  map: 'records are stored as JSON: use z.record()',
  set: 'records are stored as JSON: use z.array()',
  any: 'give the field a type (z.unknown() if it is really free-form)',
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as it must be written in a type: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}

/** True when a transform sits anywhere on the chain of pipes that is `schema`. */
function containsTransform(schema: Schema): boolean {
  const def = schema._zod.def;
  if (def.type === 'transform') return true;
  return def.type === 'pipe' && (containsTransform(def.in as Schema) || containsTransform(def.out as Schema));
}

/** Walks one collection's schema; `render` is the entry point. */
export class ZodTypeRenderer {
  constructor(
    private readonly collection: string,
    private readonly mode: TypeMode,
  ) {}

  /** Is the key optional in an object of this mode? */
  private optionalKey(schema: Schema): boolean {
    const def = schema._zod.def;
    if (def.type === 'optional' || this.mode === 'patch') return true;
    if (def.type === 'default' || def.type === 'prefault') return this.mode === 'input';
    if ((def.type === 'nullable' || def.type === 'readonly') && def.innerType) return this.optionalKey(def.innerType);
    return false;
  }

  /** The type of a value (wrappers that only make a key optional are looked through). */
  render(schema: Schema, path: ReadonlyArray<string | number>): string {
    const def = schema._zod.def;
    switch (def.type) {
      case 'string':
      case 'template_literal':
        return 'string';
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'unknown':
        return 'unknown';
      case 'literal':
        return union((def.values ?? []).map(literal));
      case 'enum':
        return union([...(schema._zod.values ?? new Set(Object.values(def.entries ?? {})))].map(literal));
      case 'optional':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        return this.render(def.innerType as Schema, path);
      case 'nullable':
        return union([this.render(def.innerType as Schema, path), 'null']);
      case 'union':
        return union((def.options ?? []).map((o, i) => this.wrapUnion(this.render(o, [...path, `(option ${i})`]))));
      case 'intersection':
        return `${this.wrapUnion(this.render(def.left as Schema, path))} & ${this.wrapUnion(this.render(def.right as Schema, path))}`;
      case 'array':
        if (this.mode === 'patch') return this.whole().render(schema, path);
        return `${this.wrapUnion(this.render(def.element as Schema, [...path, 0]))}[]`;
      case 'tuple': {
        if (this.mode === 'patch') return this.whole().render(schema, path);
        const items = (def.items ?? []).map((item, i) => this.render(item, [...path, i]));
        if (def.rest) items.push(`...${this.wrapUnion(this.render(def.rest, [...path, items.length]))}[]`);
        return `[${items.join(', ')}]`;
      }
      case 'record': {
        const record = `Record<${this.render(def.keyType as Schema, path)}, ${this.render(def.valueType as Schema, [...path, '*'])}>`;
        return this.mode === 'patch' ? `Partial<${record}>` : record;
      }
      case 'object':
        return this.renderObject(def.shape ?? {}, path);
      case 'pipe':
        return this.renderPipe(def, path);
      default:
        throw new UnsupportedSchemaError(this.collection, path, def.type, HINTS[def.type] ?? 'use plain JSON types (string, number, boolean, object, array, enum, union)');
    }
  }

  /**
   * A pipe: `z.preprocess(fn, schema)` (a transform, then a schema) is typed by its schema on
   * every side (callers pass what it declares; `fn` only normalizes), and a pipe between two
   * schemas (`z.string().pipe(z.email())`) by its left side for input and its right side for
   * what is stored. A pipe into a transform (`.transform(fn)`, alone or piped on) is refused.
   */
  private renderPipe(def: Def, path: ReadonlyArray<string | number>): string {
    const from = def.in as Schema;
    const to = def.out as Schema;
    if (containsTransform(to) || (containsTransform(from) && from._zod.def.type !== 'transform')) {
      throw new UnsupportedSchemaError(this.collection, path, 'transform', TRANSFORM_HINT);
    }
    if (from._zod.def.type === 'transform') return this.render(to, path);
    return this.render(this.mode === 'input' ? from : to, path);
  }

  /** A patch replaces arrays whole, so they are rendered as stored. */
  private whole(): ZodTypeRenderer {
    return new ZodTypeRenderer(this.collection, 'output');
  }

  private wrapUnion(text: string): string {
    return /[|&]/.test(text) && !/^[[{]/.test(text) ? `(${text})` : text;
  }

  /** An object type, one property per line, with the schema's `.describe()` text as TSDoc. */
  renderObject(shape: Record<string, Schema>, path: ReadonlyArray<string | number>): string {
    const lines = Object.entries(shape).map(([key, field]) => {
      const doc = field.description ? `/** ${field.description.replace(/\*\//g, '* /')} */\n` : '';
      const optional = this.optionalKey(field) ? '?' : '';
      return `${doc}${propertyName(key)}${optional}: ${this.render(field, [...path, key])};`;
    });
    if (lines.length === 0) return 'Record<string, never>';
    return `{\n  ${lines.map((l) => indent(l, '  ')).join('\n  ')}\n}`;
  }

  /** The members of a top-level object schema, for an interface body. */
  members(schema: Schema): { name: string; type: string; optional: boolean; doc?: string }[] {
    const shape = schema._zod.def.shape ?? {};
    return Object.entries(shape).map(([key, field]) => ({
      name: propertyName(key),
      type: this.render(field, [key]),
      optional: this.optionalKey(field),
      ...(field.description ? { doc: field.description } : {}),
    }));
  }

  /** The type of the field at a dot path (for indexed props), null included when nullable, undefined never. */
  typeAt(schema: Schema, dotPath: string): string {
    let current: Schema = schema;
    const path: string[] = [];
    for (const part of dotPath.split('.')) {
      let def = current._zod.def;
      for (;;) {
        const inner = def.type === 'pipe' ? def.out : def.type === 'object' ? undefined : def.innerType;
        if (!inner) break;
        current = inner;
        def = current._zod.def;
      }
      const next = def.shape?.[part];
      if (!next) throw new UnsupportedSchemaError(this.collection, path, 'missing field', `indexed prop "${dotPath}" is not in the schema`);
      current = next;
      path.push(part);
    }
    return this.render(current, path);
  }
}
