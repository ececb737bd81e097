/**
 * The lock file's own checks, and the TypeScript types rendered from the JSON Schemas zod writes
 * (the types of old revisions, whose zod code is gone).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { typeOf } from '../../codegen/evolution/json-schema-to-ts.js';
import { emptyLock, parseLock, renderLock } from '../../codegen/evolution/lock-file.js';
import { lockThrough } from './fixture-history.js';

const input = (schema: z.ZodType) => typeOf(z.toJSONSchema(schema, { io: 'input' }));

describe('types from zod JSON Schemas', () => {
  it('renders what declarations use: objects, optional and nullable fields, enums, literals, unions, arrays, tuples, records, intersections', () => {
    expect(input(z.object({ a: z.string(), b: z.number().optional(), c: z.string().nullable() }))).toBe('{\n  a: string;\n  b?: number;\n  c: string | null;\n}');
    expect(input(z.enum(['x', "it's"]))).toBe("'x' | 'it\\'s'");
    expect(input(z.literal(3))).toBe('3');
    expect(input(z.union([z.string(), z.array(z.int())]))).toBe('string | number[]');
    expect(input(z.tuple([z.string(), z.boolean()]))).toBe('[string, boolean]');
    expect(input(z.record(z.string(), z.number()))).toBe('Record<string, number>');
    // zod merges an intersection of objects; an allOf it cannot merge renders as an intersection.
    expect(input(z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() })))).toBe('{\n  a: string;\n  b: string;\n}');
    expect(typeOf({ allOf: [{ type: 'string' }, { enum: ['a', 'b'] }] })).toBe("string & ('a' | 'b')");
    expect(input(z.unknown())).toBe('unknown');
    expect(input(z.object({ d: z.string().default('x') }))).toBe('{\n  d?: string;\n}');
  });
});

describe('the lock file', () => {
  it('round-trips through its text, collections sorted', () => {
    const lock = lockThrough(3);
    expect(parseLock(renderLock(lock), 'chronos.lock.json')).toEqual(lock);
    expect(renderLock(emptyLock())).toBe('{\n  "lockfileVersion": 1,\n  "collections": {}\n}\n');
  });

  it('refuses a damaged file, naming it', () => {
    expect(() => parseLock('{', 'schemas/chronos.lock.json')).toThrow(/schemas\/chronos.lock.json is not valid JSON/);
    expect(() => parseLock('{"collections":{}}', 'x.json')).toThrow('x.json is not a Chronos lock file');
    const lock = lockThrough(2);
    lock.collections.people!.revisions[1]!.revision = 5;
    expect(() => parseLock(JSON.stringify(lock), 'x.json')).toThrow('x.json: the revisions of "people" must be numbered 1, 2, 3');
  });
});
