/**
 * Operators that make the database run code (`$where`, `$function`, `$accumulator`) or bypass
 * index use (`$expr`). User filters and rule predicates never carry them, wherever they hide.
 */
import { isPlainObject } from './plain-object.js';

/** The operators refused in every user filter and rule predicate. */
export const SERVER_CODE_OPERATORS: ReadonlySet<string> = new Set(['$where', '$function', '$accumulator', '$expr']);

/** Why an operator of {@link SERVER_CODE_OPERATORS} is refused, for error messages. */
export function whyRefused(operator: string): string {
  return operator === '$expr' ? 'evaluates an expression on the server (and skips indexes)' : 'runs server-side JavaScript';
}

/** Where one refused operator was found: its path from the walked value, ending with the operator. */
export interface ServerCodeHit {
  operator: string;
  path: Array<string | number>;
}

/** Every refused operator anywhere in `value` (nested objects, arrays and literal values alike), in walk order. */
export function findServerCode(value: unknown, path: Array<string | number> = []): ServerCodeHit[] {
  const hits: ServerCodeHit[] = [];
  const walk = (node: unknown, at: Array<string | number>): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...at, i]));
    else if (isPlainObject(node)) {
      for (const [key, inner] of Object.entries(node)) {
        if (SERVER_CODE_OPERATORS.has(key)) hits.push({ operator: key, path: [...at, key] });
        walk(inner, [...at, key]);
      }
    }
  };
  walk(value, path);
  return hits;
}
