/** The filter inputs the Studio offers for a collection's indexed props, and the values they send. */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { collectionFields, filterValue, type FilterField } from '../../cli/studio/collection-fields.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { defineCollection } from '../../runtime/schema/index.js';

const events = defineCollection({
  name: 'events',
  schema: z.object({
    kind: z.enum(['a', 'b']),
    at: z.iso.datetime(),
    count: z.int().optional(),
    ok: z.boolean(),
    who: z.object({ name: z.string() }),
    blob: z.string().optional(),
  }),
  indexedProps: ['kind', 'at', 'count', 'ok', 'who.name'],
  base64Props: { blob: { contentType: 'image/png' } },
  placement: { databaseType: 'logs', tiers: ['single'] },
});

const config = parseConfig({
  dbConnections: { m: { mongoUri: 'mongodb://127.0.0.1:9' } },
  spacesConnections: {},
  localStorage: { enabled: true, basePath: '/tmp/unused' },
  databases: { logs: { dbConnRef: 'm', dbName: 'logs' } },
  collectionMaps: { plain: { indexedProps: ['code'], base64Props: { file: { contentType: 'application/pdf' } } } },
});

describe('collectionFields', () => {
  it('types each indexed prop from the declaration, nested paths and optional fields included', () => {
    expect(collectionFields('events', config, events)).toEqual({
      filters: [
        { prop: 'kind', kind: 'enum', values: ['a', 'b'], declared: true },
        { prop: 'at', kind: 'datetime', declared: true },
        { prop: 'count', kind: 'number', declared: true },
        { prop: 'ok', kind: 'boolean', declared: true },
        { prop: 'who.name', kind: 'string', declared: true },
      ],
      base64Props: ['blob'],
    });
  });

  it('falls back to the config’s collectionMaps, as text, without a declaration', () => {
    expect(collectionFields('plain', config, undefined)).toEqual({ filters: [{ prop: 'code', kind: 'string', declared: false }], base64Props: ['file'] });
    expect(collectionFields('unknown', config, undefined)).toEqual({ filters: [], base64Props: [] });
  });
});

describe('filterValue', () => {
  const field = (prop: string): FilterField => {
    const found = collectionFields('events', config, events).filters.find((f) => f.prop === prop);
    if (!found) throw new Error(`no filter for ${prop}`);
    return found;
  };
  const [kind, count, ok] = [field('kind'), field('count'), field('ok')];

  it('sends numbers as numbers and booleans as booleans', () => {
    expect(filterValue(count, '42')).toBe(42);
    expect(filterValue(ok, 'false')).toBe(false);
    expect(filterValue(kind, 'b')).toBe('b');
  });

  it('gives undefined for an empty input or a value the field cannot take', () => {
    expect(filterValue(count, '')).toBeUndefined();
    expect(filterValue(count, 'many')).toBeUndefined();
    expect(filterValue(ok, 'yes')).toBeUndefined();
    expect(filterValue(kind, 'c')).toBeUndefined();
  });
});
