/**
 * The difference between two versions of a record, by path: what was added, removed and changed.
 * Objects are compared key by key and arrays index by index; a value whose type changes (object
 * to scalar, array to object) is one change at its path.
 */

/** One path and its value on one side or both. */
export interface DiffEntry {
  /** Dotted path, array indexes in brackets: `customer.address.city`, `tags[2]`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** What changed from `before` to `after`. */
export interface JsonDiff {
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: DiffEntry[];
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function walk(before: unknown, after: unknown, path: string, out: JsonDiff): void {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? Array.from({ length: Math.max(before.length, (after as unknown[]).length) }, (_, i) => i)
      : [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const inBefore = Array.isArray(before) ? (key as number) < before.length : Object.hasOwn(before, key);
      const inAfter = Array.isArray(after) ? (key as number) < after.length : Object.hasOwn(after, key);
      const b = (before as Record<string | number, unknown>)[key];
      const a = (after as Record<string | number, unknown>)[key];
      const p = childPath(path, key);
      if (inBefore && !inAfter) out.removed.push({ path: p, before: b });
      else if (!inBefore && inAfter) out.added.push({ path: p, after: a });
      else walk(b, a, p, out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.changed.push({ path: path === '' ? '(root)' : path, before, after });
}

/** Compares two JSON values; paths come out sorted within each list. */
export function diffJson(before: unknown, after: unknown): JsonDiff {
  const out: JsonDiff = { added: [], removed: [], changed: [] };
  walk(before, after, '', out);
  return out;
}
