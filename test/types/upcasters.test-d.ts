/**
 * Type tests of upcasters, checked by `tsc --noEmit`: typed by the generated `<Collection>Upcasters`
 * (here the `people` fixture's, generated from its lock file), each upcaster takes the previous
 * revision's data and must return the next revision's; the last one must return what the
 * current declaration accepts. A wrong upcaster does not compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { RawRecord } from '../../runtime/index.js';
import type { PeopleRevision3, PeopleRevision4, PeopleUpcasters } from '../evolution/generated/people.revisions.js';
import { upcasters, type schemaV8 } from '../evolution/people-revisions.js';

type Current = z.input<typeof schemaV8>;

describe('generated upcaster types', () => {
  it('give each upcaster the previous revision as its input', () => {
    ({
      4: (v3) => {
        expectTypeOf(v3).toEqualTypeOf<PeopleRevision3>();
        return { ...v3, fullName: v3.name };
      },
    }) satisfies PeopleUpcasters<Current>;
    expectTypeOf(upcasters[5]).parameter(0).toEqualTypeOf<PeopleRevision4>();
  });

  it('refuse an upcaster whose output is not the next revision (age must become a number)', () => {
    ({
      // @ts-expect-error revision 5 has age: number, this one keeps revision 4's string
      5: (v4) => ({ ...v4 }),
    }) satisfies PeopleUpcasters<Current>;
  });

  it('refuse an upcaster that reads a field its input revision does not have', () => {
    ({
      // @ts-expect-error revision 3 has no fullName yet (it is added by the upcaster to 4)
      4: (v3) => ({ ...v3, fullName: v3.fullName }),
    }) satisfies PeopleUpcasters<Current>;
  });

  it('refuse a last upcaster whose output the current declaration does not accept', () => {
    ({
      // @ts-expect-error the current status enum has no 'banned'
      8: (v7) => ({ ...v7 }),
    }) satisfies PeopleUpcasters<Current>;
  });

  it('refuse an upcaster for a revision that has no predecessor in the history', () => {
    ({
      // @ts-expect-error there is no revision 8 recorded, so nothing produces revision 9 yet
      9: (v8: unknown) => v8,
    }) satisfies PeopleUpcasters<Current>;
  });
});

describe('raw reads', () => {
  it('type the stored payload as unknown: it may follow any revision', () => {
    expectTypeOf<RawRecord['data']>().toBeUnknown();
  });
});
