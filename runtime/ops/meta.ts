/**
 * The indexed props of a document, as copied to its head (`meta`) so `listByMeta` can filter
 * them. An empty `indexedProps` means every top-level scalar prop whose name can be a Mongo field
 * name (no `.`, no leading `$`).
 */
import type { CollectionSettings } from './context.js';

/** Reads a dot path (`a.b.c`) from a document. */
export function readPath(doc: Record<string, unknown>, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The `meta` of a head: indexed props nested as in the document (so `meta.a.b` is a Mongo path). Base64 props are never copied. */
export function extractMeta(data: Record<string, unknown>, settings: CollectionSettings): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (settings.indexedProps.length === 0) {
    for (const [k, v] of Object.entries(data)) {
      // A key with a dot or a leading `$` cannot be a filterable Mongo field name: it stays in the payload only.
      if (isScalar(v) && !(k in settings.base64Props) && !k.includes('.') && !k.startsWith('$')) meta[k] = v;
    }
    return meta;
  }
  for (const path of settings.indexedProps) {
    const value = readPath(data, path);
    if (value === undefined) continue;
    const parts = path.split('.');
    let target = meta;
    for (const part of parts.slice(0, -1)) {
      target = (target[part] ??= {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1] as string] = value;
  }
  return meta;
}
