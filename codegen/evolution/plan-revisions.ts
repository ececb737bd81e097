/**
 * What `chronos generate` does with the lock file: for each declaration, compare it with the
 * last recorded revision and record a new one when it changed. A compatible change is recorded
 * by itself; a breaking one only when the declaration has an upcaster producing the new
 * revision. Everything else is refused, with a message naming the collection, each field, its
 * old and new type, and the fix.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { breakingChanges, fixFor, type BreakingChange, type JsonSchema } from './compatibility.js';
import type { LockedRevision, LockFile } from './lock-file.js';
import { revisionNamesOf } from './revision-names.js';

/** A declaration change generate will not record. */
export interface RevisionRefusal {
  collection: string;
  /** The revision the change would have become. */
  revision: number;
  /** The breaking changes found (empty for refusals about the upcasters themselves). */
  changes: BreakingChange[];
  message: string;
}

/** The outcome of comparing the declarations with the lock file. */
export interface RevisionPlan {
  /** The lock with every accepted change recorded (the input lock is not modified). */
  lock: LockFile;
  /** The revisions added, for the command's report. */
  recorded: Array<{ collection: string; revision: number; change: LockedRevision['change'] }>;
  refusals: RevisionRefusal[];
}

/** The two JSON Schemas of a declaration's zod schema, as zod 4 writes them. */
export function schemasOf(definition: AnyCollectionDefinition): { input: JsonSchema; output: JsonSchema } {
  // Transforms have no JSON Schema; the type emitter refuses them with its own message.
  const options = { unrepresentable: 'any' } as const;
  const schema = definition.schema as unknown as z.ZodType;
  return {
    input: z.toJSONSchema(schema, { ...options, io: 'input' }) as JsonSchema,
    output: z.toJSONSchema(schema, { ...options, io: 'output' }) as JsonSchema,
  };
}

function breakingMessage(collection: string, revision: number, changes: readonly BreakingChange[]): string {
  const names = revisionNamesOf(collection);
  const lines = changes.map((c) => `  - ${c.path}: ${c.detail} (was ${c.oldType}, now ${c.newType}). Fix: ${fixFor(c.kind)}`);
  return [
    `${collection}: the declaration changed in a way records written under revision ${revision - 1} do not satisfy, and no upcaster produces revision ${revision}:`,
    ...lines,
    `  Declare it with the collection: upcasters: { ${revision}: (v${revision - 1}) => ({ ... }) } satisfies ${names.upcasters}<z.input<typeof schema>>` +
      ` (import type { ${names.upcasters} } from the generated ${names.file}), or make the change compatible; then run chronos generate again.`,
  ].join('\n');
}

/** Refusals about the upcasters a declaration has, whatever its schema did. */
function upcasterRefusals(definition: AnyCollectionDefinition, recorded: readonly LockedRevision[], next: number): RevisionRefusal[] {
  const refusals: RevisionRefusal[] = [];
  const name = definition.name;
  for (const r of recorded) {
    if (r.change === 'breaking' && !definition.upcasters[r.revision]) {
      refusals.push({
        collection: name,
        revision: r.revision,
        changes: [],
        message: `${name}: revision ${r.revision} was recorded as a breaking change with an upcaster, and the declaration no longer has upcasters[${r.revision}]: records written before it could not be read. Put it back.`,
      });
    }
  }
  for (const key of Object.keys(definition.upcasters).map(Number)) {
    if (key > next) {
      refusals.push({
        collection: name,
        revision: key,
        changes: [],
        message: `${name}: upcasters[${key}] produces revision ${key}, but the lock file records ${recorded.length} revision(s), so the next change is revision ${next}: renumber it.`,
      });
    }
  }
  return refusals;
}

/** Compares every declaration with the lock file: the new lock, what was recorded, what was refused. */
export function planRevisions(lock: LockFile, declarations: readonly AnyCollectionDefinition[]): RevisionPlan {
  const collections = { ...lock.collections };
  const recorded: RevisionPlan['recorded'] = [];
  const refusals: RevisionRefusal[] = [];
  for (const definition of declarations) {
    const name = definition.name;
    const schemas = schemasOf(definition);
    const history = collections[name]?.revisions ?? [];
    const last = history[history.length - 1];
    if (!last) {
      collections[name] = { revisions: [{ revision: 1, change: 'initial', ...schemas }] };
      recorded.push({ collection: name, revision: 1, change: 'initial' });
      refusals.push(...upcasterRefusals(definition, [], 1));
      continue;
    }
    const changed = !isDeepStrictEqual(last.output, schemas.output) || !isDeepStrictEqual(last.input, schemas.input);
    const next = changed ? last.revision + 1 : last.revision;
    const ownRefusals = upcasterRefusals(definition, history, changed ? next : next + 1);
    refusals.push(...ownRefusals);
    if (!changed || ownRefusals.length > 0) continue;
    const changes = breakingChanges(last.output, schemas.input);
    if (changes.length > 0 && !definition.upcasters[next]) {
      refusals.push({ collection: name, revision: next, changes, message: breakingMessage(name, next, changes) });
      continue;
    }
    const change = changes.length > 0 ? 'breaking' : 'compatible';
    collections[name] = { revisions: [...history, { revision: next, change, ...schemas }] };
    recorded.push({ collection: name, revision: next, change });
  }
  return { lock: { lockfileVersion: 1, collections }, recorded, refusals };
}

/** The current revision of each collection in a lock. */
export function currentRevisions(lock: LockFile): Map<string, number> {
  return new Map(Object.entries(lock.collections).map(([name, entry]) => [name, entry.revisions.length]));
}
