/**
 * Lineage in the Studio's API against the real test servers: a parent in another database (a
 * runtime note derived from a metadata author) links to that database, tier and tenant; a record
 * lists its children, in its own collection and in other declared collections and databases,
 * through the head collection's `{ parentId, _id }` index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredIndexes } from '../../runtime/ops/indexes.js';
import { translateMetaFilter } from '../../runtime/ops/meta-filter.js';
import { servingIndex, shapeOf } from '../../runtime/ops/query-shape.js';
import { NOTES_CTX, startStudioFixture, type StudioFixture } from './studio-fixture.js';
import { getJson } from './studio-client.js';

const AUTHORS_CTX = { databaseType: 'metadata', tier: 'tenant', tenantId: 'acme', collection: 'authors' } as const;

let f: StudioFixture;
let authorId: string;
let fromAuthorId: string;

beforeAll(async () => {
  f = await startStudioFixture({ write: false });
  ({ id: authorId } = await f.chronos.with(AUTHORS_CTX).create({ name: 'Ada' }, 'alice', 'new author'));
  ({ id: fromAuthorId } = await f.chronos.with(NOTES_CTX).create(
    { noteId: 'A-1', status: 'draft', priority: 1, title: 'By Ada', body: '' },
    'alice',
    'derived from an author',
    { parentRecord: { id: authorId, collection: 'authors' } },
  ));
});

afterAll(async () => {
  await f?.close();
});

describe('lineage links', () => {
  it('place a parent in another database in its own database type, tier and tenant', async () => {
    const { status, body } = await getJson(f.studio, '/api/record', { ...NOTES_CTX, id: fromAuthorId });
    expect(status).toBe(200);
    expect(body.parent).toEqual({ id: authorId, collection: 'authors', context: AUTHORS_CTX });
    // The link opens: the parent's record in the metadata database.
    expect((await getJson(f.studio, '/api/record', { ...body.parent.context, id: authorId })).body.system.ov).toBe(0);
  });

  it('place a parent in the same database there', async () => {
    const { body } = await getJson(f.studio, '/api/record', { ...NOTES_CTX, id: f.childId });
    expect(body.parent).toEqual({ id: f.noteId, collection: 'notes', context: NOTES_CTX });
  });

  it('list a record\'s children', async () => {
    const { body } = await getJson(f.studio, '/api/record', { ...NOTES_CTX, id: f.noteId });
    expect(body.children).toEqual([{ id: f.childId, collection: 'notes', context: NOTES_CTX }]);
    expect(body.moreChildren).toBeUndefined();
    expect((await getJson(f.studio, '/api/record', { ...NOTES_CTX, id: f.childId })).body.children).toEqual([]);
  });

  it('list children in another collection and database: the runtime note derived from a metadata author', async () => {
    const { body } = await getJson(f.studio, '/api/record', { ...AUTHORS_CTX, id: authorId });
    expect(body.children).toEqual([{ id: fromAuthorId, collection: 'notes', context: NOTES_CTX }]);
    // The link opens the child where it lives.
    expect((await getJson(f.studio, '/api/record', { ...body.children[0].context, id: fromAuthorId })).body.parent).toMatchObject({ id: authorId });
  });

  it('find children with the { parentId, _id } index of the head collection', () => {
    const filter = translateMetaFilter({ '_system.parentId': f.noteId, '_system.parentCollection': 'notes' }, { indexedProps: [] } as never) as Record<string, unknown>;
    const specs = requiredIndexes('notes', { indexedProps: ['noteId', 'status', 'priority'] });
    expect(specs.find((s) => s.name === 'chronos_parent_id')).toMatchObject({ collection: 'notes_head', key: { parentId: 1, _id: 1 } });
    expect(servingIndex(shapeOf('notes_head', filter, { _id: 1 }), specs)).toBe('chronos_parent_id');
  });
});
