/**
 * A Studio over the real test servers with a small, known history: a declared `notes`
 * collection in the runtime tier of tenant `acme`, one note with four versions (create, update,
 * enrich with a function id, update), a child note whose parent is the first, and a few more notes
 * to page through. Each fixture has fresh databases and buckets.
 */
import { z } from 'zod';
import { initChronos, type Chronos } from '../../runtime/index.js';
import { collectionMapsFrom, counterRulesFrom, defineCollection } from '../../runtime/schema/index.js';
import { startStudioServer, type StudioServer } from '../../codegen/studio/studio-server.js';
import { testConfig } from '../support/chronos-config.js';

/** The declaration the Studio types its filters from. */
export const notes = defineCollection({
  name: 'notes',
  schema: z.object({
    noteId: z.string(),
    status: z.enum(['draft', 'published', 'archived']),
    priority: z.int(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()).optional(),
    attachment: z.string().optional(),
  }),
  indexedProps: ['noteId', 'status', 'priority'],
  base64Props: { attachment: { contentType: 'text/plain' } },
  counterRules: [{ name: 'notes_published', on: ['UPDATE'], scope: 'meta', when: { status: 'published' } }],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
});

/** The route context of the notes of tenant acme. */
export const NOTES_CTX = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'notes' } as const;

/** A running Studio and what was seeded into it. */
export interface StudioFixture {
  chronos: Chronos;
  studio: StudioServer;
  /** The note with versions 0 to 3. */
  noteId: string;
  /** A note created with `parentRecord` = the first note. */
  childId: string;
  /** The text stored in the attachment of version 0. */
  attachmentText: string;
  close(): Promise<void>;
}

/** Seeds the history and starts a Studio over it (read-only unless `write`). */
export async function startStudioFixture(options: { write: boolean; extraNotes?: number }): Promise<StudioFixture> {
  const config = testConfig('s3', { collectionMaps: collectionMapsFrom([notes]), counterRules: counterRulesFrom([notes]) });
  const chronos = initChronos(config);
  const ops = chronos.with(NOTES_CTX);
  const attachmentText = 'hello from version 0';
  const base = { noteId: 'N-1', status: 'draft', priority: 2, title: 'First', body: 'draft text', attachment: Buffer.from(attachmentText).toString('base64') };
  const { id } = await ops.create(base, 'alice', 'first draft');
  await ops.update(id, { ...base, status: 'published', title: 'First, edited' }, 0, 'bob', 'publish');
  await ops.enrich(id, { tags: ['news'] }, { functionId: 'tagger@v1', actor: 'tagger', reason: 'auto tags' });
  await ops.update(id, { ...base, status: 'published', title: 'First, final', tags: ['news'] }, 2, 'carol', 'final title');
  const child = await ops.create({ noteId: 'N-2', status: 'draft', priority: 1, title: 'Child', body: 'derived' }, 'alice', 'derived note', { parentRecord: { id, collection: 'notes' } });
  for (let i = 0; i < (options.extraNotes ?? 0); i++) {
    await ops.create({ noteId: `X-${String(i).padStart(3, '0')}`, status: 'archived', priority: 5, title: `Extra ${i}`, body: '' });
  }
  await chronos.admin.flush();
  const studio = await startStudioServer({ chronos, declarations: new Map([['notes', notes]]), write: options.write, onError: () => {} });
  return {
    chronos,
    studio,
    noteId: id,
    childId: child.id,
    attachmentText,
    async close() {
      await studio.close();
      await chronos.admin.shutdown();
    },
  };
}
