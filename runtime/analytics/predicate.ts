/**
 * Field predicates as counter rules and analytics rules write them (`when`, `query`): a flat
 * object of field paths, each an equality value or an operator object. This file holds the one
 * checker both use (so a rule can never smuggle `$where` or an unknown operator to the server)
 * and the in-memory evaluator counter rules use on every write.
 */
import { z } from 'zod';
import { isPlainObject } from '../validation/plain-object.js';
import { SERVER_CODE_OPERATORS } from '../validation/server-code.js';

/** The comparison operators a predicate may use; everything else is refused. */
const PREDICATE_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists'] as const;

/** A predicate: field path → equality value or `{ $op: value }` object. */
export type Predicate = Record<string, unknown>;


/** A problem found in a predicate, with its path relative to the predicate. */
export interface PredicateProblem {
  path: Array<string | number>;
  message: string;
}


/** True when `value` is an operator object (`{ $gt: 1 }`), as opposed to an equality value. */
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).some((k) => k.startsWith('$'));
}

/** Finds `$`-keys anywhere inside an equality value: a literal object must not carry operators. */
function findDollarKeys(value: unknown, path: Array<string | number>, out: PredicateProblem[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => findDollarKeys(item, [...path, i], out));
  } else if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$')) {
        out.push({ path: [...path, key], message: `operator ${key} is not allowed inside a literal value` });
      } else {
        findDollarKeys(inner, [...path, key], out);
      }
    }
  }
}

function checkOperator(op: string, arg: unknown, path: Array<string | number>, out: PredicateProblem[]): void {
  if (SERVER_CODE_OPERATORS.has(op)) {
    out.push({ path, message: `${op} runs code on the server and is refused; use ${PREDICATE_OPERATORS.join(' ')}` });
    return;
  }
  if (!(PREDICATE_OPERATORS as readonly string[]).includes(op)) {
    out.push({ path, message: `unknown operator ${op}; allowed: ${PREDICATE_OPERATORS.join(' ')}` });
    return;
  }
  if ((op === '$in' || op === '$nin') && !Array.isArray(arg)) {
    out.push({ path, message: `${op} takes an array of values` });
    return;
  }
  if (op === '$exists' && typeof arg !== 'boolean') {
    out.push({ path, message: '$exists takes true or false' });
    return;
  }
  findDollarKeys(arg, path, out);
}

/**
 * Every problem in `predicate`: top-level `$` keys (logical operators and server-side code are
 * not part of the rule language), unknown or code-running operators, operator objects mixed with
 * literal keys, and malformed operator arguments. Empty when the predicate is safe.
 */
export function checkPredicate(predicate: unknown): PredicateProblem[] {
  const out: PredicateProblem[] = [];
  if (!isPlainObject(predicate)) return [{ path: [], message: 'must be an object of field → value or { $op: value }' }];
  for (const [field, condition] of Object.entries(predicate)) {
    if (field.startsWith('$')) {
      const why = SERVER_CODE_OPERATORS.has(field) ? 'runs code on the server and is refused' : 'is not supported at the top level';
      out.push({ path: [field], message: `${field} ${why}; write field predicates such as { amount: { $gte: 100 } }` });
      continue;
    }
    if (field === '' || field.split('.').some((part) => part === '')) {
      out.push({ path: [field], message: 'field paths must be non-empty dot paths such as "customer.tier"' });
      continue;
    }
    if (isOperatorObject(condition)) {
      for (const [op, arg] of Object.entries(condition)) {
        if (!op.startsWith('$')) {
          out.push({ path: [field, op], message: 'cannot mix operators and literal keys in one condition' });
        } else {
          checkOperator(op, arg, [field, op], out);
        }
      }
    } else {
      findDollarKeys(condition, [field], out);
    }
  }
  return out;
}

/** Zod schema of a predicate: an object checked by {@link checkPredicate}; issues carry paths. */
export const predicateSchema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  for (const problem of checkPredicate(value)) {
    ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  }
});

/**
 * Reads `path` from `source`: an exact key first (indexed props may be stored flat as
 * `"customer.id"`), then the dot path walked through nested objects.
 */
export function readPath(source: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(source, path)) return source[path];
  let current: unknown = source;
  for (const part of path.split('.')) {
    // Own props only: a path such as "__proto__.x" must not read the prototype chain.
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** Deep equality of JSON-like values; Dates compare by instant. */
function valuesEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => valuesEqual(a[k], b[k]));
  }
  return a === b;
}

/** Equality the way Mongo matches it: the value itself, or any element when the value is an array. */
function matchesEquality(actual: unknown, expected: unknown): boolean {
  if (valuesEqual(actual, expected)) return true;
  return Array.isArray(actual) && actual.some((item) => valuesEqual(item, expected));
}

/** Orders two values of the same kind (numbers, strings, Dates); `undefined` when not comparable. */
function compare(actual: unknown, expected: unknown): number | undefined {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  if (actual instanceof Date && expected instanceof Date) return actual.getTime() - expected.getTime();
  return undefined;
}

function matchesOperator(op: string, arg: unknown, actual: unknown): boolean {
  switch (op) {
    case '$eq':
      return matchesEquality(actual, arg);
    case '$ne':
      return !matchesEquality(actual, arg);
    case '$in':
      return (arg as unknown[]).some((candidate) => matchesEquality(actual, candidate));
    case '$nin':
      return !(arg as unknown[]).some((candidate) => matchesEquality(actual, candidate));
    case '$exists':
      return (actual !== undefined) === arg;
    default: {
      const order = compare(actual, arg);
      if (order === undefined) return false;
      if (op === '$gt') return order > 0;
      if (op === '$gte') return order >= 0;
      if (op === '$lt') return order < 0;
      return order <= 0;
    }
  }
}

/**
 * True when `source` satisfies every condition of `predicate` (an implicit AND), with Mongo's
 * semantics: missing fields fail comparisons and pass `$ne`/`$nin`; comparisons need the same
 * type on both sides. The predicate must already have passed {@link checkPredicate}.
 */
export function matchesPredicate(source: Record<string, unknown>, predicate: Predicate): boolean {
  for (const [field, condition] of Object.entries(predicate)) {
    const actual = readPath(source, field);
    if (isOperatorObject(condition)) {
      for (const [op, arg] of Object.entries(condition)) {
        if (!matchesOperator(op, arg, actual)) return false;
      }
    } else if (!matchesEquality(actual, condition)) {
      return false;
    }
  }
  return true;
}
