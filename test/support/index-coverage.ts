/**
 * Shows that queries are served by declared indexes without relying on `explain` (FerretDB
 * scans every query): record the commands a client sends, then check each filter and sort
 * against the declared index keys — equality fields as a prefix, then the sort, then at most
 * one range field.
 */
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import type { IndexSpec } from '../../runtime/ops/indexes.js';
import { mongoUri } from './fresh-db.js';

/** One read or write shape: the collection, its filter and (for finds) its sort. */
export interface QueryShape {
  command: 'find' | 'update' | 'delete';
  collection: string;
  filter: Document;
  sort: Record<string, 1 | -1>;
}

// The driver sends `sort` as a Map (to keep key order); tests read it as a plain object.
function sortOf(sort: unknown): Record<string, 1 | -1> {
  if (sort instanceof Map) return Object.fromEntries(sort) as Record<string, 1 | -1>;
  return (sort ?? {}) as Record<string, 1 | -1>;
}

/** A client that records every find, update and delete it sends. */
export async function recordingClient(): Promise<{ client: MongoClient; shapes: QueryShape[] }> {
  const shapes: QueryShape[] = [];
  const client = new MongoClient(mongoUri(), { monitorCommands: true });
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const c = event.command;
    if (event.commandName === 'find') {
      shapes.push({ command: 'find', collection: String(c['find']), filter: c['filter'] ?? {}, sort: sortOf(c['sort']) });
    } else if (event.commandName === 'update') {
      for (const u of c['updates'] as Document[]) shapes.push({ command: 'update', collection: String(c['update']), filter: u['q'], sort: {} });
    } else if (event.commandName === 'delete') {
      for (const d of c['deletes'] as Document[]) shapes.push({ command: 'delete', collection: String(c['delete']), filter: d['q'], sort: {} });
    }
  });
  await client.connect();
  return { client, shapes };
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte', '$ne', '$nin', '$exists']);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith('$'));
}

/** Splits a filter into equality and range fields; `$and` members are flattened. */
function fieldsOf(filter: Document, eq: Set<string>, range: Set<string>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') for (const member of value as Document[]) fieldsOf(member, eq, range);
    else if (key.startsWith('$')) throw new Error(`shape check does not handle ${key}`);
    else if (isOperatorObject(value) && Object.keys(value).some((op) => RANGE_OPS.has(op))) range.add(key);
    else eq.add(key); // a literal, $eq or $in: an equality bound
  }
}

/**
 * The name of an index of `specs` that serves `shape` (`_id` equality is the built-in index),
 * or null. Served means: the equality fields are exactly the index's first keys (any order), the
 * sort fields (minus equality fields) come next in order, and a range field, if any, is the
 * first sort field or the key right after the equality prefix.
 */
export function servingIndex(
  shape: QueryShape,
  specs: readonly IndexSpec[],
  options: { sortInMemory?: boolean } = {},
): string | null {
  const eq = new Set<string>();
  const range = new Set<string>();
  fieldsOf(shape.filter, eq, range);
  if (eq.has('_id')) return '_id_';
  // With sortInMemory the index only has to bound the scan; the server then sorts the matches
  // (a top-k sort when there is a limit).
  const sortFields = options.sortInMemory ? [] : Object.keys(shape.sort).filter((f) => !eq.has(f));
  for (const spec of specs.filter((s) => s.collection === shape.collection)) {
    const keys = Object.keys(spec.key);
    const prefix = keys.slice(0, eq.size);
    if (prefix.length !== eq.size || !prefix.every((k) => eq.has(k))) continue;
    const rest = keys.slice(eq.size);
    if (!sortFields.every((f, i) => rest[i] === f)) continue;
    const rangeOk = [...range].every((f) => f === (sortFields[0] ?? rest[0]));
    if (rangeOk && range.size <= 1) return spec.name;
  }
  return null;
}
