/**
 * One collection, `people`, through eight revisions of its declaration: a compatible change
 * and each breaking change (required field added, field renamed, type changed, field removed,
 * optional made required, enum member removed), each breaking one with the upcaster that makes
 * older data current. `peopleAt[n]` is the declaration as it stood at revision n, every
 * revision's declaration carrying the upcasters written up to then.
 */
import { z } from 'zod';
import { defineCollection } from '../../runtime/schema/index.js';
import type { PeopleUpcasters } from './generated/people.revisions.js';

const placement = { databaseType: 'runtime', tiers: ['tenant'] } as const;

/** Revision 1: the first declaration. */
export const schemaV1 = z.object({
  name: z.string().min(1),
  age: z.string(),
  status: z.enum(['active', 'inactive', 'banned']),
  nickname: z.string().optional(),
  email: z.string().optional(),
});

/** Revision 2 (compatible): an optional field added. */
const schemaV2 = schemaV1.extend({ city: z.string().optional() });

/** Revision 3 (breaking): a required field without a default added. */
const schemaV3 = schemaV2.extend({ country: z.string().length(2) });

/** Revision 4 (breaking): `name` renamed to `fullName`. */
const schemaV4 = schemaV3.omit({ name: true }).extend({ fullName: z.string().min(1) });

/** Revision 5 (breaking): `age` from a string to a number. */
const schemaV5 = schemaV4.extend({ age: z.number().int().nonnegative() });

/** Revision 6 (breaking): `nickname` removed. */
const schemaV6 = schemaV5.omit({ nickname: true });

/** Revision 7 (breaking): `email` made required. */
const schemaV7 = schemaV6.extend({ email: z.string() });

/** Revision 8 (breaking): the enum member `banned` removed; a compatible default added too. */
export const schemaV8 = schemaV7.extend({ status: z.enum(['active', 'inactive']), score: z.number().default(0) });

/**
 * Every upcaster of `people`, by the revision it produces, typed by the revisions module
 * generated from the fixture's lock file (revisions 1 to 7; revision 8 is the current schema).
 */
export const upcasters = {
  3: (v2) => ({ ...v2, country: 'ZZ' }),
  4: ({ name, ...rest }) => ({ ...rest, fullName: name }),
  5: (v4) => ({ ...v4, age: Number.parseInt(v4.age, 10) }),
  6: ({ nickname: _dropped, ...rest }) => rest,
  7: (v6) => ({ ...v6, email: v6.email ?? 'unknown@example.invalid' }),
  8: (v7) => ({ ...v7, status: v7.status === 'banned' ? 'inactive' : v7.status }),
} satisfies PeopleUpcasters<z.input<typeof schemaV8>>;

const upTo = (n: number) => Object.fromEntries(Object.entries(upcasters).filter(([k]) => Number(k) <= n));

/** The declaration of `people` at each revision (index = revision). */
export const peopleAt = {
  1: defineCollection({ name: 'people', schema: schemaV1, indexedProps: ['name', 'age', 'status'], placement }),
  2: defineCollection({ name: 'people', schema: schemaV2, indexedProps: ['name', 'age', 'status'], placement }),
  3: defineCollection({ name: 'people', schema: schemaV3, indexedProps: ['name', 'age', 'status'], placement, upcasters: upTo(3) }),
  4: defineCollection({ name: 'people', schema: schemaV4, indexedProps: ['fullName', 'age', 'status'], placement, upcasters: upTo(4) }),
  5: defineCollection({ name: 'people', schema: schemaV5, indexedProps: ['fullName', 'age', 'status'], placement, upcasters: upTo(5) }),
  6: defineCollection({ name: 'people', schema: schemaV6, indexedProps: ['fullName', 'age', 'status'], placement, upcasters: upTo(6) }),
  7: defineCollection({ name: 'people', schema: schemaV7, indexedProps: ['fullName', 'age', 'status'], placement, upcasters: upTo(7) }),
  8: defineCollection({ name: 'people', schema: schemaV8, indexedProps: ['fullName', 'age', 'status'], placement, upcasters: upTo(8) }),
} as const;

/** A valid record to write at each revision. */
export const recordAt: Record<keyof typeof peopleAt, (i: number) => Record<string, unknown>> = {
  1: (i) => ({ name: `Ann ${i}`, age: '31', status: 'banned', nickname: 'annie' }),
  2: (i) => ({ name: `Bob ${i}`, age: '42', status: 'active', city: 'Leeds', email: 'bob@example.com' }),
  3: (i) => ({ name: `Cy ${i}`, age: '23', status: 'banned', country: 'GB' }),
  4: (i) => ({ fullName: `Di ${i}`, age: '54', status: 'inactive', country: 'FR', nickname: 'dd' }),
  5: (i) => ({ fullName: `Ed ${i}`, age: 65, status: 'active', country: 'DE' }),
  6: (i) => ({ fullName: `Flo ${i}`, age: 76, status: 'banned', country: 'ES' }),
  7: (i) => ({ fullName: `Gus ${i}`, age: 87, status: 'banned', country: 'IT', email: 'gus@example.com' }),
  8: (i) => ({ fullName: `Hal ${i}`, age: 98, status: 'inactive', country: 'PT', email: 'hal@example.com', score: 5 }),
};
