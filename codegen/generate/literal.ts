/** Prints plain data (strings, numbers, booleans, arrays, objects) as TypeScript literal source. */
import { propertyName } from './zod-to-ts.js';

/** Source text of `value` as it would be written by hand: bare keys, single-quoted strings. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${propertyName(k)}: ${literal(v)}`).join(', ')} }`;
  }
  throw new Error(`cannot print ${typeof value} as a literal`);
}
