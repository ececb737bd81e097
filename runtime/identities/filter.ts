/**
 * Checks a caller's identity filter and rewrites it onto the stored layout. A filter may name
 * only indexed props (so every query has an index, and no stored field the caller does not own
 * — `tenantId` above all — can be matched) and only comparison operators; server-side
 * JavaScript (`$where`, `$function`, `$accumulator`) is refused wherever it hides.
 */
import type { Filter } from 'mongodb';
import { ValidationError, type ErrorIssue } from '../errors.js';
import type { IdentityDoc } from './documents.js';
import type { IdentityFilter } from './types.js';
import { isPlainObject } from '../validation/plain-object.js';
import { findMongoUnsafeKey, toJsonValue } from '../validation/json-value.js';
import { findServerCode, SERVER_CODE_OPERATORS as FORBIDDEN_OPERATORS, whyRefused } from '../validation/server-code.js';

type Path = Array<string | number>;

/** Filter values: JSON and Dates (identity data keeps Dates); keys are checked per position. */
const FILTER_VALUE_RULES = { dates: 'date', mongoDocument: false } as const;

const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);
const COMPARISON_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);


/** Every forbidden operator anywhere in `value`, including inside literal values. */
function findForbidden(value: unknown, path: Path, issues: ErrorIssue[]): void {
  for (const hit of findServerCode(value, path)) {
    issues.push({ path: hit.path, message: `${hit.operator} ${whyRefused(hit.operator)} and is refused in filters` });
  }
}

class FilterChecker {
  readonly issues: ErrorIssue[] = [];

  constructor(
    private readonly indexedProps: ReadonlySet<string>,
    private readonly collection: string,
  ) {}

  filter(value: unknown, path: Path): Record<string, unknown> {
    if (!isPlainObject(value)) {
      this.issues.push({ path, message: 'a filter must be an object of indexed prop to condition' });
      return {};
    }
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (LOGICAL_OPERATORS.has(key)) {
        out[key] = this.logical(inner, [...path, key]);
      } else if (FORBIDDEN_OPERATORS.has(key)) {
        continue; // already reported by findForbidden
      } else if (key.startsWith('$')) {
        this.issues.push({ path: [...path, key], message: `${key} is not supported at this level; use $and, $or or $nor` });
      } else if (!this.indexedProps.has(key)) {
        this.issues.push({ path: [...path, key], message: this.notIndexed(key) });
      } else {
        out[`data.${key}`] = this.condition(inner, [...path, key]);
      }
    }
    return out;
  }

  private logical(value: unknown, path: Path): unknown[] {
    if (!Array.isArray(value) || value.length === 0) {
      this.issues.push({ path, message: 'must be a non-empty array of filters' });
      return [];
    }
    return value.map((item, i) => this.filter(item, [...path, i]));
  }

  private condition(value: unknown, path: Path): unknown {
    if (!isPlainObject(value)) return this.operand(value, path); // a literal: equality
    const keys = Object.keys(value);
    const operators = keys.filter((k) => k.startsWith('$'));
    if (operators.length === 0) return this.operand(value, path); // an embedded document: equality
    if (operators.length !== keys.length) {
      this.issues.push({ path, message: 'mixes operators and field names; use either { $op: value } or a literal' });
      return value;
    }
    for (const op of operators) {
      const operand = value[op];
      if (FORBIDDEN_OPERATORS.has(op)) continue;
      if (!COMPARISON_OPERATORS.has(op)) {
        this.issues.push({ path: [...path, op], message: `${op} is not supported; use ${[...COMPARISON_OPERATORS].join(' ')}` });
      } else if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) {
        this.issues.push({ path: [...path, op], message: `${op} takes an array` });
      } else if (op === '$exists' && typeof operand !== 'boolean') {
        this.issues.push({ path: [...path, op], message: '$exists takes true or false' });
      } else if (Array.isArray(operand) && (op === '$in' || op === '$nin')) {
        operand.forEach((item, i) => this.operand(item, [...path, op, i]));
      } else {
        this.operand(operand, [...path, op]);
      }
    }
    return value;
  }

  /** A compared value: stored data has no `$` or `.` keys, so a value with them is an injection or a bug. */
  private operand(value: unknown, path: Path): unknown {
    const unsafe = findMongoUnsafeKey(value, path);
    if (unsafe) this.issues.push({ path: unsafe.path, message: `the key "${unsafe.key}" cannot be compared: values hold no operators or dotted keys` });
    return value;
  }

  private notIndexed(prop: string): string {
    const known = [...this.indexedProps].sort();
    const list = known.length > 0 ? known.join(', ') : '(none declared)';
    return `${prop} is not an indexed prop of ${this.collection}; filter only on indexed props: ${list} (declare more with indexedProps)`;
  }
}

/**
 * Validates `filter` and returns the equivalent query on the stored documents, restricted to
 * `tenantId`. Throws a {@link ValidationError} listing every problem (paths start at `filter`).
 */
export function toIdentityQuery(
  filter: IdentityFilter | undefined,
  tenantId: string,
  indexedProps: readonly string[],
  collection: string,
): Filter<IdentityDoc> {
  const issues: ErrorIssue[] = [];
  // A plain copy first: RegExp literals, BSON values, NaN, functions, getters and cycles are refused with their path.
  const plain = toJsonValue(filter ?? {}, ['filter'], FILTER_VALUE_RULES);
  findForbidden(plain, ['filter'], issues);
  const checker = new FilterChecker(new Set(indexedProps), collection);
  const translated = checker.filter(plain, ['filter']);
  issues.push(...checker.issues);
  if (issues.length > 0) throw new ValidationError(issues, 'Invalid identity filter');
  // Caller keys all became `data.*` or logical operators, so none can replace the tenant equality.
  return { ...translated, tenantId } as Filter<IdentityDoc>;
}
