/**
 * Renders the JSON Schemas zod 4 writes (`z.toJSONSchema()`) as TypeScript type text, for the
 * types of old revisions that only the lock file still describes. Covers what zod emits for the
 * shapes a declaration may use (objects, arrays, tuples, records, enums, literals, unions,
 * intersections, nullable); anything else becomes `unknown`, which still type-checks safely.
 */
import type { JsonSchema } from './compatibility.js';
import { propertyName } from '../generate/zod-to-ts.js';

type Obj = { readonly [keyword: string]: unknown };

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.stringify(value);
}

function union(parts: readonly string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

function wrap(text: string): string {
  return /[|&]/.test(text) && !/^[[{]/.test(text) ? `(${text})` : text;
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n  ');
}

/** One property of an object type. */
export interface RenderedMember {
  name: string;
  type: string;
  optional: boolean;
  doc?: string;
}

/** The members of an object schema (its `properties`, optional unless `required`). */
export function membersOf(schema: JsonSchema): RenderedMember[] {
  if (typeof schema !== 'object') return [];
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([key, field]) => ({
    name: propertyName(key),
    type: typeOf(field),
    optional: !required.has(key),
    ...(typeof field === 'object' && typeof field.description === 'string' ? { doc: field.description } : {}),
  }));
}

function objectType(s: Obj): string {
  const members = membersOf(s).map((m) => `${m.doc ? `/** ${m.doc.replace(/\*\//g, '* /')} */\n` : ''}${m.name}${m.optional ? '?' : ''}: ${m.type};`);
  const rest = typeof s.additionalProperties === 'object' ? `Record<string, ${typeOf(s.additionalProperties as JsonSchema)}>` : undefined;
  const body = members.length > 0 ? `{\n  ${members.map(indent).join('\n  ')}\n}` : undefined;
  if (body && rest) return `${body} & ${rest}`;
  return body ?? rest ?? 'Record<string, never>';
}

function single(type: string, s: Obj): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(s.prefixItems)) {
        const items = (s.prefixItems as JsonSchema[]).map(typeOf);
        if (s.items !== undefined && s.items !== false) items.push(`...${wrap(typeOf(s.items as JsonSchema))}[]`);
        return `[${items.join(', ')}]`;
      }
      return `${wrap(typeOf((s.items ?? true) as JsonSchema))}[]`;
    }
    case 'object':
      return objectType(s);
    default:
      return 'unknown';
  }
}

/** The TypeScript type of a JSON Schema. */
export function typeOf(schema: JsonSchema): string {
  if (schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  if ('const' in schema) return literal(schema.const);
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(options)) return union(options.map((o) => wrap(typeOf(o))));
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map((o) => wrap(typeOf(o))).join(' & ');
  if (Array.isArray(schema.type)) return union((schema.type as string[]).map((t) => wrap(single(t, schema))));
  if (typeof schema.type === 'string') return single(schema.type, schema);
  if (schema.properties !== undefined) return objectType(schema);
  return 'unknown';
}
