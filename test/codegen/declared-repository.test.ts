/**
 * The constructor generated repositories are made with: the declaration is found by its export
 * name in the schema module's namespace (what generated code passes), or given as itself.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../runtime/errors.js';
import { DeclaredRepository, declaredRepository, defineCollection } from '../../runtime/schema/index.js';
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
