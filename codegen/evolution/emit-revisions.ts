/**
 * Writes one collection's revisions module (`<collection>.revisions.ts`): the data type of every
 * revision recorded in the lock file, rendered from its JSON Schema (the revision's zod code may
 * be long gone), and the type of the declaration's `upcasters`. The
 * declaration imports it with `import type`, which is erased, so loading declarations never
 * needs generated code.
 */
import type { StatementCollector } from '../generate/statements.js';
import { membersOf } from './json-schema-to-ts.js';
import type { LockedRevision } from './lock-file.js';
import { revisionNamesOf } from './revision-names.js';

/** Fills `file` with the revisions module of `collection` from its recorded revisions. */
export function emitRevisions(file: StatementCollector, collection: string, revisions: readonly LockedRevision[]): void {
  const names = revisionNamesOf(collection);
  for (const revision of revisions) {
    file.addInterface({
      isExported: true,
      name: names.revision(revision.revision),
      docs: [
        `The data of a \`${collection}\` record under revision ${revision.revision} of its declaration (${revision.change}), as an upcaster takes it: ` +
          'stored versions of that revision, or what the upcaster to it returned.',
      ],
      // What the revision accepts: an upcaster gets stored data of it (defaults applied) or what the upcaster to it returned.
      properties: membersOf(revision.input).map((m) => ({ name: m.name, type: m.type, hasQuestionToken: m.optional, docs: m.doc ? [m.doc] : [] })),
    });
  }
  file.addInterface({
    isExported: true,
    name: names.revisions,
    docs: [`Every recorded revision of \`${collection}\` by number; the current one is ${revisions.length}.`],
    properties: revisions.map((r) => ({ name: String(r.revision), type: names.revision(r.revision) })),
  });
  const next = revisions.length + 1;
  const steps = revisions.slice(1).map((r) => ({
    name: String(r.revision),
    type: `(previous: ${names.revision(r.revision - 1)}) => ${names.revision(r.revision)}`,
    hasQuestionToken: true,
    isReadonly: true,
    docs: [`Revision ${r.revision - 1} → ${r.revision}.`],
  }));
  steps.push({
    name: String(next),
    type: `(previous: ${names.revision(next - 1)}) => Current`,
    hasQuestionToken: true,
    isReadonly: true,
    docs: [`Revision ${next - 1} → ${next}: the declaration as it is now, before \`chronos generate\` records it.`],
  });
  file.addTypeAlias({
    isExported: true,
    name: names.upcasters,
    typeParameters: ['Current'],
    docs: [
      `The type of \`${collection}\`'s \`upcasters\`: each takes the previous revision's data and must return its own revision's.\n` +
        `\`Current\` is what the declaration accepts now: \`upcasters: { ... } satisfies ${names.upcasters}<z.input<typeof schema>>\`.`,
    ],
    type: `{\n${steps.map((s) => `/** ${s.docs[0]} */\nreadonly ${s.name}?: ${s.type};`).join('\n')}\n}`,
  });
}
