/**
 * `chronos generate --watch` regenerates in one process: after a declaration changes, the next
 * run sees the new declaration (modules are loaded afresh), writes only what changed, and a
 * broken declaration is reported without ending the watcher.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let scratch: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(root, '.tmp-watch-'));
});

afterAll(async () => {
  child?.kill();
  await rm(scratch, { recursive: true, force: true });
});

function declaration(dir: string, indexed: string): string {
  const runtime = path.relative(dir, path.join(root, 'runtime/schema/index.js')).split(path.sep).join('/');
  return `import { z } from 'zod';
import { defineCollection } from '${runtime}';
export const notes = defineCollection({
  name: 'notes',
  schema: z.object({ text: z.string(), pinned: z.boolean().default(false), topic: z.string().optional() }),
  indexedProps: [${indexed}],
  placement: { databaseType: 'logs', tiers: ['single'] },
});
`;
}

/** Resolves with the next stdout or stderr line of `proc` that matches `pattern`. */
function nextLine(proc: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      const hit = lines.find((l) => pattern.test(l));
      if (hit !== undefined) {
        proc.stdout!.off('data', onData);
        proc.stderr!.off('data', onData);
        resolve(hit);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`watcher exited with ${code}`)));
  });
}

describe('chronos generate --watch', () => {
  it('regenerates a changed declaration in the same process, and survives a broken one', { timeout: 60_000 }, async () => {
    const schemas = path.join(scratch, 'schemas');
    const out = path.join(scratch, 'generated');
    await mkdir(schemas, { recursive: true });
    await writeFile(path.join(schemas, 'notes.ts'), declaration(schemas, "'pinned'"));
    child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/cli.ts'), 'generate', '--watch', '--schemas', schemas, '--out', out, '--runtime-import', 'chronos-db'], { cwd: root });
    expect(await nextLine(child, /written/)).toMatch(/5 written/);
    expect(await readFile(path.join(out, 'notes.ts'), 'utf8')).not.toContain('topic?: FieldFilter');

    const second = nextLine(child, /written/);
    await writeFile(path.join(schemas, 'notes.ts'), declaration(schemas, "'pinned', 'topic'"));
    expect(await second).toMatch(/: 2 written, 0 removed/);
    expect(await readFile(path.join(out, 'notes.ts'), 'utf8')).toContain('topic?: FieldFilter<string>');

    const broken = nextLine(child, /"topics" is not a field of the schema/);
    await writeFile(path.join(schemas, 'notes.ts'), declaration(schemas, "'pinned', 'topics'"));
    expect(await broken).toContain('indexedProps');

    const fixed = nextLine(child, /written/);
    await writeFile(path.join(schemas, 'notes.ts'), declaration(schemas, "'topic'"));
    expect(await fixed).toMatch(/written/);
    expect(child.exitCode).toBeNull();
  });

  it('reloads a changed entity target together with the declarations that map it', { timeout: 60_000 }, async () => {
    const schemas = path.join(scratch, 'linked');
    const out = path.join(scratch, 'linked-out');
    await mkdir(schemas, { recursive: true });
    const runtime = path.relative(schemas, path.join(root, 'runtime/schema/index.js')).split(path.sep).join('/');
    const people = (indexed: string) => `import { z } from 'zod';
import { defineCollection } from '${runtime}';
export const people = defineCollection({ name: 'people', schema: z.object({ personId: z.string(), email: z.string() }), indexedProps: [${indexed}], placement: { databaseType: 'metadata', tiers: ['tenant'] } });
`;
    const tickets = (indexed: string) => `import { z } from 'zod';
import { defineCollection } from '${runtime}';
import { people } from './people.js';
export const tickets = defineCollection({
  name: 'tickets', schema: z.object({ ticketId: z.string(), owner: z.object({ personId: z.string(), email: z.string() }) }), indexedProps: [${indexed}],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
  entities: [{ property: 'owner', collection: people, keyProperty: 'personId', databaseType: 'metadata', tier: 'tenant' }],
});
`;
    const other = `import { z } from 'zod';
import { defineCollection } from '${runtime}';
export const notes = defineCollection({ name: 'notes', schema: z.object({ text: z.string() }), indexedProps: [], placement: { databaseType: 'logs', tiers: ['single'] } });
`;
    await writeFile(path.join(schemas, 'people.ts'), people("'personId'"));
    await writeFile(path.join(schemas, 'tickets.ts'), tickets("'ticketId'"));
    await writeFile(path.join(schemas, 'notes.ts'), other);
    const linked = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/cli.ts'), 'generate', '--watch', '--schemas', schemas, '--out', out, '--runtime-import', 'chronos-db'], { cwd: root });
    try {
      expect(await nextLine(linked, /written|chronos generate:/)).toMatch(/9 written/);
      const target = nextLine(linked, /written|chronos generate:/);
      await writeFile(path.join(schemas, 'people.ts'), people("'personId', 'email'"));
      expect(await target).toMatch(/written/);
      expect(await readFile(path.join(out, 'people.ts'), 'utf8')).toContain('email?: FieldFilter<string>');
      const mapper = nextLine(linked, /written|chronos generate:/);
      await writeFile(path.join(schemas, 'tickets.ts'), tickets("'ticketId', 'owner.email'"));
      expect(await mapper).toMatch(/written/);
      expect(await readFile(path.join(out, 'tickets.ts'), 'utf8')).toContain("'owner.email'?: FieldFilter<string>");
    } finally {
      linked.kill();
    }
  });
});

