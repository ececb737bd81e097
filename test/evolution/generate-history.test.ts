/**
 * `chronos generate` and the declaration history: each of the six breaking changes of the
 * `people` fixture is refused without its upcaster (naming the collection, the field, the old
 * and new type and the fix) and recorded with it; compatible changes are recorded by
 * themselves; the lock file holds zod's own JSON Schemas; and the command (generate and
 * --check) exits 1 on a refused change, writing nothing.
 */
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCollection, type AnyCollectionDefinition, type UpcasterMap } from '../../runtime/schema/index.js';
import { breakingChanges } from '../../codegen/evolution/compatibility.js';
import { planRevisions } from '../../codegen/evolution/plan-revisions.js';
import { emptyLock, type LockFile } from '../../codegen/evolution/lock-file.js';
import { runGenerate } from '../../codegen/generate/run-generate.js';
import { FIXTURE_REVISIONS_FILE, fixtureRevisionsText, lockThrough } from './fixture-history.js';
import { peopleAt, schemaV1 } from './people-revisions.js';

/** The declaration of revision `n` with other upcasters. */
function redeclare(n: keyof typeof peopleAt, upcasters: UpcasterMap): AnyCollectionDefinition {
  const { schema, indexedProps, placement } = peopleAt[n];
  return defineCollection({ name: 'people', schema, indexedProps: [...indexedProps] as never[], placement, upcasters });
}

/** The declaration of revision `n` without the upcaster that produces it (the earlier ones kept). */
function withoutUpcasters(n: keyof typeof peopleAt): AnyCollectionDefinition {
  return redeclare(n, Object.fromEntries(Object.entries(peopleAt[n].upcasters).filter(([k]) => Number(k) < n)));
}

const expected = {
  3: { kind: 'required-added', path: 'country', oldType: 'absent', newType: 'string' },
  4: { kind: 'removed', path: 'name', oldType: 'string', newType: 'absent' },
  5: { kind: 'type-changed', path: 'age', oldType: 'string', newType: 'integer' },
  6: { kind: 'removed', path: 'nickname', oldType: 'string', newType: 'absent' },
  7: { kind: 'made-required', path: 'email', oldType: 'string', newType: 'string' },
  8: { kind: 'enum-member-removed', path: 'status', oldType: "'active' | 'inactive' | 'banned'", newType: "'active' | 'inactive'" },
} as const;

describe('generate classifies declaration changes against the lock file', () => {
  it('records the first declaration as revision 1, with zod\'s own JSON Schemas', () => {
    const plan = planRevisions(emptyLock(), [peopleAt[1]]);
    expect(plan.refusals).toEqual([]);
    const [revision] = plan.lock.collections.people!.revisions;
    expect(revision).toEqual({
      revision: 1,
      change: 'initial',
      input: z.toJSONSchema(schemaV1, { io: 'input', unrepresentable: 'any' }),
      output: z.toJSONSchema(schemaV1, { io: 'output', unrepresentable: 'any' }),
    });
  });

  it('records a compatible change by itself and an unchanged declaration not at all', () => {
    const plan = planRevisions(lockThrough(1), [peopleAt[2]]);
    expect(plan.recorded).toEqual([{ collection: 'people', revision: 2, change: 'compatible' }]);
    expect(planRevisions(plan.lock, [peopleAt[2]]).recorded).toEqual([]);
  });

  for (const [n, change] of Object.entries(expected)) {
    const revision = Number(n) as keyof typeof expected;
    it(`refuses revision ${revision} (${change.kind}) without an upcaster, and records it with one`, () => {
      const before: LockFile = lockThrough(revision - 1);
      const refused = planRevisions(before, [withoutUpcasters(revision)]);
      expect(refused.recorded).toEqual([]);
      expect(refused.refusals).toHaveLength(1);
      const refusal = refused.refusals[0]!;
      expect(refusal.changes).toContainEqual(expect.objectContaining(change));
      expect(refusal.message).toContain(`people: the declaration changed`);
      expect(refusal.message).toContain(`${change.path}: `);
      expect(refusal.message).toContain(`was ${change.oldType}, now ${change.newType}`);
      expect(refusal.message).toMatch(/Fix: /);
      expect(refusal.message).toContain(`upcasters: { ${revision}: (v${revision - 1}) => ({ ... }) } satisfies PeopleUpcasters`);
      const accepted = planRevisions(before, [peopleAt[revision]]);
      expect(accepted.refusals).toEqual([]);
      expect(accepted.recorded).toEqual([{ collection: 'people', revision, change: 'breaking' }]);
    });
  }

  it('suggests the rename when one field goes and one required field comes', () => {
    const { refusals } = planRevisions(lockThrough(3), [withoutUpcasters(4)]);
    expect(refusals[0]!.message).toContain('name: the field was removed (renamed to fullName?)');
  });

  it('records the compatible changes: field with a default, enum member added, type widened', () => {
    const base = z.object({ a: z.string(), kind: z.enum(['x', 'y']) });
    const declare = (schema: z.ZodObject) => defineCollection({ name: 'things', schema, indexedProps: [], placement: { databaseType: 'logs', tiers: ['single'] } });
    const lock = planRevisions(emptyLock(), [declare(base)]).lock;
    for (const schema of [
      base.extend({ flag: z.boolean().default(false) }),
      base.extend({ kind: z.enum(['x', 'y', 'z']) }),
      base.extend({ a: z.union([z.string(), z.number()]) }),
      base.extend({ a: z.string().nullable() }),
      base.extend({ note: z.string().optional() }),
    ]) {
      const plan = planRevisions(lock, [declare(schema)]);
      expect(plan.refusals).toEqual([]);
      expect(plan.recorded).toEqual([{ collection: 'things', revision: 2, change: 'compatible' }]);
    }
  });

  it('finds narrowing by constraints and inside nested objects and arrays', () => {
    const old = z.toJSONSchema(z.object({ n: z.object({ s: z.string() }), list: z.array(z.number()) }), { io: 'output' });
    const next = z.toJSONSchema(z.object({ n: z.object({ s: z.string().max(3) }), list: z.array(z.int()) }), { io: 'input' });
    expect(breakingChanges(old, next).map((c) => [c.path, c.kind])).toEqual([
      ['n.s', 'narrowed'],
      ['list[0]', 'narrowed'],
    ]);
  });

  it('refuses a declaration that lost an upcaster recorded in the history, or numbers one past the next revision', () => {
    const lock = lockThrough(4);
    const lost = planRevisions(lock, [redeclare(4, { 3: peopleAt[4].upcasters[3]! })]);
    expect(lost.refusals.map((r) => r.message)).toEqual([expect.stringContaining('no longer has upcasters[4]')]);
    const ahead = planRevisions(lock, [redeclare(4, { ...peopleAt[4].upcasters, 6: (v: never) => v })]);
    expect(ahead.refusals.map((r) => r.message)).toEqual([expect.stringContaining('upcasters[6] produces revision 6, but the lock file records 4 revision(s)')]);
  });

  it('keeps the committed revision types of the fixture in step with its history', async () => {
    expect(await readFile(FIXTURE_REVISIONS_FILE, 'utf8')).toBe(fixtureRevisionsText());
  });
});

describe('the generate command and its lock file', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  let dir: string;

  beforeAll(async () => {
    // Inside the repository so the scratch declarations resolve zod and the runtime like real ones.
    dir = await mkdtemp(path.join(root, '.tmp-evolution-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Replaces the declaration module (under a new name: ES modules are cached by URL). */
  async function declare(step: number, schema: string, upcasters = ''): Promise<void> {
    if (step > 1) await unlink(path.join(dir, `pets-${step - 1}.ts`));
    const runtime = path.relative(dir, path.join(root, 'runtime/schema/index.js')).split(path.sep).join('/');
    await writeFile(
      path.join(dir, `pets-${step}.ts`),
      `import { z } from 'zod';\nimport { defineCollection } from '${runtime}';\n` +
        `export const pets = defineCollection({ name: 'pets', schema: ${schema}, indexedProps: ['name'], placement: { databaseType: 'logs', tiers: ['single'] }${upcasters} });\n`,
    );
  }

  async function generateRun(check = false): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const options = { schemasDir: dir, outDir: path.join(dir, 'generated'), runtimeImport: 'chronos-db', command: 'chronos generate', check, watch: false };
    const code = await runGenerate(options, (l) => out.push(l), (l) => err.push(l));
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('writes the lock, refuses a breaking change in generate and --check, then records it with its upcaster', async () => {
    await declare(1, `z.object({ name: z.string(), age: z.string() })`);
    expect((await generateRun()).code).toBe(0);
    const lockText = await readFile(path.join(dir, 'chronos.lock.json'), 'utf8');
    expect(JSON.parse(lockText).collections.pets.revisions).toHaveLength(1);

    await declare(2, `z.object({ name: z.string(), age: z.number() })`);
    for (const check of [false, true]) {
      const refused = await generateRun(check);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('pets: the declaration changed');
      expect(refused.err).toContain('age: the type changed (was string, now number)');
    }
    expect(await readFile(path.join(dir, 'chronos.lock.json'), 'utf8')).toBe(lockText);

    await declare(3, `z.object({ name: z.string(), age: z.number() })`, `, upcasters: { 2: (v1: { name: string; age: string }) => ({ ...v1, age: Number(v1.age) }) }`);
    expect((await generateRun(true)).err).toContain('would record pets revision 2 (breaking)');
    const written = await generateRun();
    expect(written.code).toBe(0);
    expect(written.out).toContain('pets: recorded revision 2 (breaking change)');
    expect(JSON.parse(await readFile(path.join(dir, 'chronos.lock.json'), 'utf8')).collections.pets.revisions.map((r: { change: string }) => r.change)).toEqual(['initial', 'breaking']);
    expect(await readFile(path.join(dir, 'generated', 'repositories.ts'), 'utf8')).toContain("atRevision(petsModule, 'pets' satisfies keyof typeof petsModule, 2)");
    expect(await readFile(path.join(dir, 'generated', 'pets.revisions.ts'), 'utf8')).toContain('readonly 2?: (previous: PetsRevision1) => PetsRevision2;');
    expect((await generateRun(true)).code).toBe(0);
  });
});
