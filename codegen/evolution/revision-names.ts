/** The names generated for a collection's revisions, in one place so emitters and messages agree. */
import { kebabCase, pascalCase } from '../generate/naming.js';

/** Type and file names of one collection's revisions module. */
export function revisionNamesOf(collection: string) {
  const base = pascalCase(collection);
  return {
    /** `PeopleRevision2`: the data of revision 2, as an upcaster takes and returns it. */
    revision: (n: number) => `${base}Revision${n}`,
    /** `PeopleRevisions`: every recorded revision by number. */
    revisions: `${base}Revisions`,
    /** `PeopleUpcasters<Current>`: the type of the declaration's `upcasters`. */
    upcasters: `${base}Upcasters`,
    file: `${kebabCase(collection)}.revisions.ts`,
    module: `./${kebabCase(collection)}.revisions.js`,
  };
}
