/**
 * The Studio's record list against the real test servers: prefix and range filters and a sort on
 * indexed props (each served by the prop's index), the display field as the row title, and page
 * cursors tied to the filter they were made for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQueryFrom, prefixEnd } from '../../cli/studio/list-query.js';
import { collectionFields } from '../../cli/studio/collection-fields.js';
import { requiredIndexes } from '../../runtime/ops/indexes.js';
import { translateMetaFilter } from '../../runtime/ops/meta-filter.js';
import { servingIndex, shapeOf } from '../../runtime/ops/query-shape.js';
import { NOTES_CTX, notes, startStudioFixture, type StudioFixture } from './studio-fixture.js';
import { getJson } from './studio-client.js';

let f: StudioFixture;

beforeAll(async () => {
  f = await startStudioFixture({ write: false, extraNotes: 12 });
});

afterAll(async () => {
  await f?.close();
});

type Row = { id: string; title?: string; values: Record<string, unknown> };
const noteIds = (body: { items: Row[] }) => body.items.map((r) => r.values.noteId);

describe('the record list', () => {
  it('filters by prefix on a text prop, in the order of its index', async () => {
    const { status, body } = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'p.noteId': 'X-00' });
    expect(status).toBe(200);
    expect(noteIds(body)).toEqual(['X-000', 'X-001', 'X-002', 'X-003', 'X-004', 'X-005', 'X-006', 'X-007', 'X-008', 'X-009']);
  });

  it('filters by an inclusive range on a number prop, and on text', async () => {
    const low = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'lo.priority': 1, 'hi.priority': 2 });
    expect(noteIds(low.body)).toEqual(['N-2', 'N-1']);
    const text = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'lo.noteId': 'X-010', 'hi.noteId': 'X-011' });
    expect(noteIds(text.body)).toEqual(['X-010', 'X-011']);
  });

  it('sorts by an indexed prop either way', async () => {
    const down = await getJson(f.studio, '/api/records', { ...NOTES_CTX, sort: 'noteId', dir: 'desc', limit: 3 });
    expect(noteIds(down.body)).toEqual(['X-011', 'X-010', 'X-009']);
    const up = await getJson(f.studio, '/api/records', { ...NOTES_CTX, sort: 'noteId', limit: 2 });
    expect(noteIds(up.body)).toEqual(['N-1', 'N-2']);
  });

  it('titles each row with the declaration\'s display field, and the record too', async () => {
    const { body } = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'f.noteId': 'N-1' });
    expect(body.fields.displayField).toBe('title');
    expect(body.items[0].title).toBe('First, final');
    expect((await getJson(f.studio, '/api/record', { ...NOTES_CTX, id: f.noteId })).body.title).toBe('First, final');
  });

  it('refuses a cursor sent with another filter instead of skipping rows', async () => {
    const first = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'f.status': 'archived', limit: 3 });
    expect(first.body.nextCursor).toBeDefined();
    const same = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'f.status': 'archived', limit: 3, after: first.body.nextCursor });
    expect(same.status).toBe(200);
    expect(noteIds(same.body)).toEqual(['X-003', 'X-004', 'X-005']);
    const other = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'f.status': 'draft', limit: 3, after: first.body.nextCursor });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ code: 'STALE_CURSOR', error: expect.stringContaining('start again from the first page') });
    const resorted = await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'f.status': 'archived', sort: 'priority', limit: 3, after: first.body.nextCursor });
    expect(resorted.status).toBe(400);
  });

  it('answers 400 for a second range, a sort other than the ranged prop, or a prefix on a number', async () => {
    expect((await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'p.noteId': 'X', 'lo.priority': 1 })).status).toBe(400);
    expect((await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'p.noteId': 'X', sort: 'priority' })).status).toBe(400);
    expect((await getJson(f.studio, '/api/records', { ...NOTES_CTX, 'p.priority': '1' })).status).toBe(400);
    expect((await getJson(f.studio, '/api/records', { ...NOTES_CTX, sort: 'title' })).status).toBe(400);
  });
});

describe('the list query', () => {
  const fields = collectionFields('notes', { collectionMaps: {} } as never, notes);
  const specs = requiredIndexes('notes', { indexedProps: notes.indexedProps });
  const served = (params: Record<string, string>) => {
    const { query } = listQueryFrom(new URLSearchParams(params), fields);
    // As listByMeta sends it: the translated filter and, without includeDeleted, `deleted: false`.
    const filter = { $and: [translateMetaFilter(query.filter, { indexedProps: [...notes.indexedProps] } as never), { deleted: false }] };
    const [[prop, dir]] = Object.entries(query.sort ?? { _id: 1 }) as [[string, 1 | -1]];
    const sort = prop === '_id' ? { _id: dir } : { [`meta.${prop}`]: dir, _id: dir };
    return servingIndex(shapeOf('notes_head', filter, sort), specs);
  };

  it('is served by the index of the prop a prefix, a range or a sort names', () => {
    expect(served({ 'p.noteId': 'X-00' })).toBe('chronos_meta_noteId');
    expect(served({ 'lo.priority': '1', 'hi.priority': '3' })).toBe('chronos_meta_priority');
    expect(served({ sort: 'priority', dir: 'desc' })).toBe('chronos_meta_priority');
  });

  it('turns a prefix into the range of strings that start with it', () => {
    expect(prefixEnd('X-00')).toBe('X-01');
    expect(prefixEnd('a\u{10ffff}')).toBe('b');
    expect(prefixEnd('\u{10ffff}')).toBeUndefined();
  });
});
