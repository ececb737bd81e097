/**
 * How generated code names a declaration: by its export name in the schema module's namespace,
 * for the repository constructor and for the `collections` list (`atRevision`), or as itself.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../runtime/errors.js';
import { DeclaredRepository, atRevision, declaredRepository, defineCollection } from '../../runtime/schema/index.js';
import type { CollectionOps } from '../../runtime/schema/index.js';

const notes = defineCollection({
  name: 'notes',
  schema: z.object({ text: z.string() }),
  indexedProps: ['text'],
  placement: { databaseType: 'logs', tiers: ['single'] },
});
const ops = {} as CollectionOps;

describe('declaredRepository', () => {
  it('finds the declaration by its export name in a module namespace', () => {
    const Repository = declaredRepository<DeclaredRepository>({ notes, other: 1 }, 'notes');
    expect(Repository.name).toBe('NotesRepository');
    expect(new Repository(ops)).toBeInstanceOf(DeclaredRepository);
  });

  it('takes the declaration itself', () => {
    expect(declaredRepository<DeclaredRepository>(notes).name).toBe('NotesRepository');
  });

  it('refuses an export that is not a declaration, saying to generate again', () => {
    expect(() => declaredRepository({ notes: { name: 'notes' } }, 'notes')).toThrow(ConfigError);
    expect(() => declaredRepository({}, 'notes')).toThrow(/notes: not a collection made by defineCollection \(run chronos generate again\)/);
  });
});

describe('atRevision', () => {
  it('tags the declaration found by its export name, or given itself, with a revision, leaving the declaration as it was', () => {
    const tagged = atRevision({ notes }, 'notes', 3);
    expect(tagged).toMatchObject({ name: 'notes', revision: 3, schema: notes.schema });
    expect(Object.isFrozen(tagged)).toBe(true);
    expect(atRevision(notes, 2).revision).toBe(2);
    expect(notes.revision).toBeUndefined();
  });

  it('refuses a missing export and a revision that is not a whole number from 1', () => {
    expect(() => atRevision({}, 'notes', 1)).toThrow(/notes: not a collection made by defineCollection/);
    expect(() => atRevision({ notes }, 'notes', 0)).toThrow(RangeError);
    expect(() => atRevision(notes, 1.5)).toThrow(/notes: a revision is a whole number from 1, got 1.5/);
  });
});
