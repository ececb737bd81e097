/**
 * Classifies a change of a collection's declaration by comparing JSON Schemas (zod 4's own
 * `z.toJSONSchema()` output): the previous revision's stored shape (`io: 'output'`) against what
 * the new declaration accepts (`io: 'input'`). The change is compatible when every value the old
 * revision stored is still accepted (an optional field or a field with a default added, an enum
 * member added, a type widened) and no field disappeared; anything else is breaking and needs an
 * upcaster. Only the keywords zod emits are read; one it does not know counts as a change.
 */
import { isDeepStrictEqual } from 'node:util';

/** A JSON Schema as zod writes it (the subset read here). */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** What kind of breaking change one finding is. */
export type BreakingKind = 'required-added' | 'removed' | 'type-changed' | 'narrowed' | 'enum-member-removed' | 'made-required';

/** One breaking difference, where it is and what it was. */
export interface BreakingChange {
  kind: BreakingKind;
  /** Dot path of the field (`(root)` for the record itself). */
  path: string;
  /** The old type, as TypeScript-like text (`string`, `'a' | 'b'`, `absent`). */
  oldType: string;
  /** The new type. */
  newType: string;
  /** What is wrong, in words. */
  detail: string;
}

type Obj = { readonly [keyword: string]: unknown };

const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;
const EXACT = ['pattern', 'format', 'multipleOf', 'contentEncoding', 'uniqueItems'] as const;
/** Keywords the check compares itself; a change to any other (not an annotation) is treated as breaking. */
const COMPARED_KEYWORDS = new Set<string>(['type', 'enum', 'const', 'anyOf', 'oneOf', 'properties', 'required', 'additionalProperties', 'items', ...LOWER_BOUNDS, ...UPPER_BOUNDS, ...EXACT]);
/** Keywords that describe but do not constrain. */
const ANNOTATIONS = new Set(['$schema', 'description', 'title', 'default', 'examples', 'readOnly', 'writeOnly', 'deprecated', '$comment', 'id']);

function asObj(schema: JsonSchema | undefined): Obj {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return { not: {} };
  return schema;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function shown(path: string): string {
  return path === '' ? '(root)' : path;
}

function literalText(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** A schema as a short TypeScript-like type, for messages. */
function typeText(schema: JsonSchema | undefined): string {
  const s = asObj(schema);
  if (Array.isArray(s.enum)) return s.enum.map(literalText).join(' | ');
  if ('const' in s) return literalText(s.const);
  const options = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(options)) return options.map(typeText).join(' | ');
  const types = typesOf(s);
  if (types === undefined) return 'unknown';
  return types
    .map((t) => {
      if (t === 'integer') return 'integer';
      if (t === 'array') return `${typeText(s.items as JsonSchema | undefined)}[]`;
      return t;
    })
    .join(' | ');
}

function typesOf(s: Obj): string[] | undefined {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type as string[];
  if (Array.isArray(s.enum)) return [...new Set(s.enum.map(jsonType))];
  if ('const' in s) return [jsonType(s.const)];
  if (s.properties !== undefined) return ['object'];
  return undefined;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeAllowed(type: string, allowed: readonly string[]): boolean {
  return allowed.includes(type) || (type === 'integer' && allowed.includes('number'));
}

/** Does `value` satisfy the type and enum parts of `s`? (Used for enum and const members.) */
function literalAccepted(value: unknown, s: Obj): boolean {
  if (Array.isArray(s.enum)) return s.enum.some((v) => JSON.stringify(v) === JSON.stringify(value));
  if ('const' in s) return JSON.stringify(s.const) === JSON.stringify(value);
  const types = typesOf(s);
  return types === undefined || typeAllowed(jsonType(value), types);
}

/** Compares two JSON Schemas: every breaking change, by field. */
class CompatibilityCheck {
  readonly changes: BreakingChange[] = [];

  private add(kind: BreakingKind, path: string, oldS: JsonSchema | undefined, newS: JsonSchema | undefined, detail: string): void {
    this.changes.push({ kind, path: shown(path), oldType: oldS === undefined ? 'absent' : typeText(oldS), newType: newS === undefined ? 'absent' : typeText(newS), detail });
  }

  /** Records why values of `oldS` may fail `newS` at `path`. */
  accepts(oldS: JsonSchema, newS: JsonSchema, path: string): void {
    // Most of a declaration is unchanged between two revisions: an identical subtree accepts all it did.
    if (isDeepStrictEqual(oldS, newS)) return;
    const o = asObj(oldS);
    const n = asObj(newS);
    const oldOptions = (o.anyOf ?? o.oneOf) as JsonSchema[] | undefined;
    if (Array.isArray(oldOptions)) {
      for (const option of oldOptions) this.accepts(option, newS, path);
      return;
    }
    const newOptions = (n.anyOf ?? n.oneOf) as JsonSchema[] | undefined;
    if (Array.isArray(newOptions)) {
      const fits = newOptions.some((option) => {
        const probe = new CompatibilityCheck();
        probe.accepts(oldS, option, path);
        return probe.changes.length === 0;
      });
      if (!fits) this.add('type-changed', path, oldS, newS, 'no option of the new union accepts the old values');
      return;
    }
    if (!this.sameTypes(o, n, path, oldS, newS)) return;
    this.sameLiterals(o, n, path, oldS, newS);
    this.sameBounds(o, n, path, oldS, newS);
    this.unknownKeywords(o, n, path, oldS, newS);
    if (o.properties !== undefined || n.properties !== undefined) this.objects(o, n, path);
    if (o.items !== undefined && n.items !== undefined) this.accepts(o.items as JsonSchema, n.items as JsonSchema, join(path, 0));
    if (typeof o.additionalProperties === 'object' && typeof n.additionalProperties === 'object') {
      this.accepts(o.additionalProperties as JsonSchema, n.additionalProperties as JsonSchema, join(path, '*'));
    }
  }

  private sameTypes(o: Obj, n: Obj, path: string, oldS: JsonSchema, newS: JsonSchema): boolean {
    const newTypes = typesOf(n);
    if (newTypes === undefined) return true;
    const oldTypes = typesOf(o);
    if (oldTypes === undefined) {
      this.add('type-changed', path, oldS, newS, 'a field of any type now has a fixed type');
      return false;
    }
    const lost = oldTypes.filter((t) => !typeAllowed(t, newTypes));
    if (lost.length === 0) return true;
    // number → integer keeps a part of the old values: narrowed, like a union that lost a member.
    const partly = lost.length < oldTypes.length || (lost.includes('number') && newTypes.includes('integer'));
    this.add(partly ? 'narrowed' : 'type-changed', path, oldS, newS, partly ? `no longer accepts every ${lost.join(', ')}` : 'the type changed');
    return false;
  }

  private sameLiterals(o: Obj, n: Obj, path: string, oldS: JsonSchema, newS: JsonSchema): void {
    if (!Array.isArray(n.enum) && !('const' in n)) return;
    const oldValues = Array.isArray(o.enum) ? o.enum : 'const' in o ? [o.const] : undefined;
    if (oldValues === undefined) {
      this.add('narrowed', path, oldS, newS, 'any value of the type was allowed, now only listed ones');
      return;
    }
    const removed = oldValues.filter((v) => !literalAccepted(v, n));
    if (removed.length > 0) this.add('enum-member-removed', path, oldS, newS, `${removed.map(literalText).join(', ')} no longer allowed`);
  }

  private sameBounds(o: Obj, n: Obj, path: string, oldS: JsonSchema, newS: JsonSchema): void {
    const tighter: string[] = [];
    for (const k of LOWER_BOUNDS) if (typeof n[k] === 'number' && !(typeof o[k] === 'number' && (o[k] as number) >= (n[k] as number))) tighter.push(`${k} ${String(n[k])}`);
    for (const k of UPPER_BOUNDS) if (typeof n[k] === 'number' && !(typeof o[k] === 'number' && (o[k] as number) <= (n[k] as number))) tighter.push(`${k} ${String(n[k])}`);
    for (const k of EXACT) if (n[k] !== undefined && !isDeepStrictEqual(n[k], o[k])) tighter.push(`${k} ${JSON.stringify(n[k])}`);
    if (tighter.length > 0) this.add('narrowed', path, oldS, newS, `new constraint ${tighter.join(', ')}`);
  }

  private unknownKeywords(o: Obj, n: Obj, path: string, oldS: JsonSchema, newS: JsonSchema): void {
    const other = Object.keys(n).filter((k) => !COMPARED_KEYWORDS.has(k) && !ANNOTATIONS.has(k) && !isDeepStrictEqual(n[k], o[k]));
    if (other.length > 0) this.add('narrowed', path, oldS, newS, `changed ${other.join(', ')} (not compared: treated as breaking)`);
  }

  private objects(o: Obj, n: Obj, path: string): void {
    const oldProps = (o.properties ?? {}) as Record<string, JsonSchema>;
    const newProps = (n.properties ?? {}) as Record<string, JsonSchema>;
    const oldRequired = new Set((o.required ?? []) as string[]);
    const newRequired = new Set((n.required ?? []) as string[]);
    const removed = Object.keys(oldProps).filter((k) => !(k in newProps));
    const added = Object.keys(newProps).filter((k) => !(k in oldProps) && newRequired.has(k));
    const rename = removed.length === 1 && added.length === 1 ? ` (renamed to ${added[0]}?)` : '';
    for (const key of removed) this.add('removed', join(path, key), oldProps[key], undefined, `the field was removed${rename}: old records still hold it`);
    for (const key of added) this.add('required-added', join(path, key), undefined, newProps[key], 'a required field without a default was added: old records lack it');
    for (const [key, schema] of Object.entries(newProps)) {
      if (!(key in oldProps)) continue;
      if (newRequired.has(key) && !oldRequired.has(key)) {
        this.add('made-required', join(path, key), oldProps[key], schema, 'an optional field was made required: old records may lack it');
      }
      this.accepts(oldProps[key] as JsonSchema, schema, join(path, key));
    }
  }
}

/** Every breaking change from a revision that stored `oldOutput` to a declaration accepting `newInput`. */
export function breakingChanges(oldOutput: JsonSchema, newInput: JsonSchema): BreakingChange[] {
  const check = new CompatibilityCheck();
  check.accepts(oldOutput, newInput, '');
  return check.changes;
}

const FIXES: Record<BreakingKind, string> = {
  'required-added': 'make it optional, give it a default (.default(...)), or have the upcaster set it',
  removed: 'have the upcaster carry its value where it now belongs (a rename: ({ old, ...rest }) => ({ ...rest, new: old })) or drop it on purpose',
  'type-changed': 'have the upcaster convert the old value',
  narrowed: 'have the upcaster bring old values within the new type',
  'enum-member-removed': 'have the upcaster map the removed members to allowed ones',
  'made-required': 'give it a default, or have the upcaster fill it where it is absent',
};

/** How to fix one kind of breaking change. */
export function fixFor(kind: BreakingKind): string {
  return FIXES[kind];
}
