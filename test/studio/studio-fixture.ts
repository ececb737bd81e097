/**
 * A Studio over the real test servers with a small, known history: a declared `notes`
 * collection in the runtime tier of tenant `acme`, one note with four versions (create, update,
 * enrich with a function id, update), a child note whose parent is the first, and a few more notes
 * to page through. Each fixture has fresh databases and buckets.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { initChronos, type Chronos, type ChronosConfig } from '../../runtime/index.js';
import { collectionMapsFrom, counterRulesFrom } from '../../runtime/schema/index.js';
import { startStudioServer, type StudioServer } from '../../cli/studio/studio-server.js';
import { testConfig, type TestStorage } from '../support/chronos-config.js';
import { notes } from './fixture-schemas/notes.js';

export { notes };

/** The folder holding the fixture's declarations (what a config module's `schemas` export names). */
const FIXTURE_SCHEMAS = resolve(import.meta.dirname, 'fixture-schemas');

/** The route context of the notes of tenant acme. */
export const NOTES_CTX = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'notes' } as const;

/** A running Studio and what was seeded into it. */
export interface StudioFixture {
  chronos: Chronos;
  /** The configuration the data was written with. */
  config: ChronosConfig;
  studio: StudioServer;
  /** The note with versions 0 to 3. */
  noteId: string;
  /** A note created with `parentRecord` = the first note. */
  childId: string;
  /** With `longHistory`: a note with that many versions. */
  longId?: string;
  /** The text stored in the attachment of version 0. */
  attachmentText: string;
  close(): Promise<void>;
}

/** Seeds the history and starts a Studio over it (read-only unless `write`). */
export async function startStudioFixture(options: { write: boolean; extraNotes?: number; longHistory?: number; storage?: TestStorage }): Promise<StudioFixture> {
  const config = fixtureConfig(options.storage);
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
  let longId: string | undefined;
  if (options.longHistory) {
    const long = await ops.create({ noteId: 'L-1', status: 'draft', priority: 0, title: 'v0', body: '' }, 'bulk', 'start');
    longId = long.id;
    for (let ov = 1; ov < options.longHistory; ov++) {
      await ops.update(long.id, { noteId: 'L-1', status: 'draft', priority: ov, title: `v${ov}`, body: '' }, ov - 1, 'bulk', `step ${ov}`);
    }
  }
  await chronos.admin.flush();
  const studio = await startStudioServer({ chronos, declarations: new Map([['notes', notes]]), write: options.write, onError: () => {} });
  return {
    chronos,
    config,
    studio,
    noteId: id,
    childId: child.id,
    ...(longId !== undefined && { longId }),
    attachmentText,
    async close() {
      await studio.close();
      await chronos.admin.shutdown();
    },
  };
}

/** Fresh databases and buckets (S3 unless `storage` says otherwise) on the test servers, with the notes declaration's collection map and counter rules. */
function fixtureConfig(storage: TestStorage = 's3'): ChronosConfig {
  return testConfig(storage, { collectionMaps: collectionMapsFrom([notes]), counterRules: counterRulesFrom([notes]) });
}

/**
 * Writes a config module as `chronos studio --config` reads it (the configuration as the default
 * export, `schemas` naming the fixture's declarations) into `dir`; resolves to its path.
 */
export async function writeConfigModule(dir: string, config: ChronosConfig): Promise<string> {
  const file = join(dir, 'chronos.config.mjs');
  await writeFile(file, `export default ${JSON.stringify(config, null, 2)};\nexport const schemas = ${JSON.stringify(FIXTURE_SCHEMAS)};\n`);
  return file;
}
