/**
 * The lock file of the `people` fixture as `chronos generate` would have kept it through
 * revisions 1 to 7 (revision 8 is the declaration "as it is now", not yet recorded), and the
 * revisions module generated from it, committed as `generated/people.revisions.ts` for the type
 * tests of upcasters.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IndentationText, Project, QuoteKind } from 'ts-morph';
import { emitRevisions } from '../../codegen/evolution/emit-revisions.js';
import { emptyLock, type LockFile } from '../../codegen/evolution/lock-file.js';
import { planRevisions } from '../../codegen/evolution/plan-revisions.js';
import { generatedHeader } from '../../codegen/generate/header.js';
import { reindent } from '../../codegen/generate/layout.js';
import { StatementCollector } from '../../codegen/generate/statements.js';
import { peopleAt } from './people-revisions.js';

/** Where the committed revisions module of the fixture is. */
export const FIXTURE_REVISIONS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'generated', 'people.revisions.ts');

/** Runs the lock planning once per revision from 1 to `upTo`, as successive generate runs would. */
export function lockThrough(upTo: number): LockFile {
  let lock = emptyLock();
  for (let n = 1; n <= upTo; n += 1) {
    const plan = planRevisions(lock, [peopleAt[n as keyof typeof peopleAt]]);
    if (plan.refusals.length > 0) throw new Error(plan.refusals.map((r) => r.message).join('\n'));
    lock = plan.lock;
  }
  return lock;
}

/** The text of the fixture's revisions module from the history through revision 7. */
export function fixtureRevisionsText(): string {
  const collector = new StatementCollector();
  emitRevisions(collector, 'people', lockThrough(7).collections.people!.revisions);
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
  const text = reindent(project.createSourceFile('/people.revisions.ts', { statements: collector.statements }).getFullText());
  return `${generatedHeader('test/evolution/fixture-history.ts')}\n${text}`;
}
