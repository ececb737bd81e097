/**
 * The Studio's HTTP API against the real test servers: navigation, records with typed filters
 * and cursor paging, the version log, version JSON with base64 props as downloads, diffs, as-of,
 * lineage, counters, and restore (with --write only, compare-and-set, actor `studio`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES_CTX, startStudioFixture, type StudioFixture } from './studio-fixture.js';
import { getJson, postRestore, studioRequest } from './studio-client.js';

let rw: StudioFixture;
let ro: StudioFixture;

beforeAll(async () => {
  [rw, ro] = await Promise.all([startStudioFixture({ write: true, extraNotes: 5 }), startStudioFixture({ write: false })]);
});

afterAll(async () => {
  await Promise.all([rw?.close(), ro?.close()]);
});

describe('navigation', () => {
  it('lists every versioned database of the config with its collections, existing and declared', async () => {
    const { status, body } = await getJson(rw.studio, '/api/nav');
    expect(status).toBe(200);
    const acme = body.databases.find((d: { databaseType: string; tenantId?: string }) => d.databaseType === 'runtime' && d.tenantId === 'acme');
    expect(acme).toMatchObject({ tier: 'tenant', counters: true, collections: [{ name: 'notes', exists: true }] });
    const globex = body.databases.find((d: { databaseType: string; tenantId?: string }) => d.databaseType === 'runtime' && d.tenantId === 'globex');
    expect(globex.collections).toEqual([{ name: 'notes', exists: false }]);
    expect(body.databases.map((d: { databaseType: string }) => d.databaseType)).toEqual(expect.arrayContaining(['metadata', 'knowledge', 'runtime', 'logs']));
    expect(body.databases.some((d: { databaseType: string }) => d.databaseType === 'identities' || d.databaseType === 'messaging')).toBe(false);
  });
});

describe('records', () => {
  it('types the filters from the declaration and filters on them', async () => {
    const { body } = await getJson(rw.studio, '/api/records', { ...NOTES_CTX, 'f.status': 'published' });
    expect(body.fields.filters).toEqual([
      { prop: 'noteId', kind: 'string', declared: true },
      { prop: 'status', kind: 'enum', values: ['draft', 'published', 'archived'], declared: true },
      { prop: 'priority', kind: 'number', declared: true },
    ]);
    expect(body.items.map((r: { id: string }) => r.id)).toEqual([rw.noteId]);
    expect(body.items[0]).toMatchObject({ ov: 3, deleted: false, values: { noteId: 'N-1', status: 'published', priority: 2 } });
    const byNumber = await getJson(rw.studio, '/api/records', { ...NOTES_CTX, 'f.priority': '1' });
    expect(byNumber.body.items.map((r: { id: string }) => r.id)).toEqual([rw.childId]);
  });

  it('answers 400 for a value the field cannot take', async () => {
    expect((await getJson(rw.studio, '/api/records', { ...NOTES_CTX, 'f.status': 'lost' })).status).toBe(400);
    expect((await getJson(rw.studio, '/api/records', { ...NOTES_CTX, 'f.priority': 'high' })).status).toBe(400);
  });

  it('pages with the cursor through every record exactly once', async () => {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const { body } = await getJson(rw.studio, '/api/records', { ...NOTES_CTX, limit: 3, after });
      expect(body.items.length).toBeLessThanOrEqual(3);
      ids.push(...body.items.map((r: { id: string }) => r.id));
      after = body.nextCursor;
    } while (after !== undefined);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('shows logically deleted records only with the include-deleted switch', async () => {
    const ops = rw.chronos.with(NOTES_CTX);
    const { id } = await ops.create({ noteId: 'D-1', status: 'draft', priority: 9, title: 'gone', body: '' });
    await ops.delete(id, 0, 'alice', 'cleanup');
    const hidden = await getJson(rw.studio, '/api/records', { ...NOTES_CTX, 'f.noteId': 'D-1' });
    expect(hidden.body.items).toEqual([]);
    const shown = await getJson(rw.studio, '/api/records', { ...NOTES_CTX, 'f.noteId': 'D-1', deleted: '1' });
    expect(shown.body.items).toMatchObject([{ id, deleted: true, ov: 1 }]);
  });

  it('answers 404 for a tenant the config does not route', async () => {
    expect((await getJson(rw.studio, '/api/records', { ...NOTES_CTX, tenantId: 'initech' })).status).toBe(404);
  });
});

describe('a record', () => {
  it('gives the head, and a link to the parent for a derived record', async () => {
    const { body } = await getJson(rw.studio, '/api/record', { ...NOTES_CTX, id: rw.childId });
    expect(body.system).toMatchObject({ ov: 0, parentId: rw.noteId, parentCollection: 'notes' });
    expect(body.parent).toEqual({ id: rw.noteId, collection: 'notes', context: NOTES_CTX });
    expect(body.origin).toEqual({ id: rw.noteId, collection: 'notes', context: NOTES_CTX });
  });

  it('pages the timeline newest first with kind, actor, reason and functionIds', async () => {
    const first = await getJson(ro.studio, '/api/versions', { ...NOTES_CTX, id: ro.noteId, limit: 2 });
    expect(first.body.items.map((v: { ov: number; kind: string; actor: string; functionIds: string[] }) => [v.ov, v.kind, v.actor, v.functionIds])).toEqual([
      [3, 'update', 'carol', ['tagger@v1']],
      [2, 'enrich', 'tagger', ['tagger@v1']],
    ]);
    expect(first.body.nextBeforeOv).toBe(2);
    const second = await getJson(ro.studio, '/api/versions', { ...NOTES_CTX, id: ro.noteId, limit: 2, beforeOv: 2 });
    expect(second.body.items.map((v: { ov: number; reason: string }) => [v.ov, v.reason])).toEqual([[1, 'publish'], [0, 'first draft']]);
    expect(second.body.nextBeforeOv).toBeUndefined();
  });

  it('says which functionIds each version added, also across a page boundary', async () => {
    const added = async (limit: number, beforeOv?: number) =>
      (await getJson(ro.studio, '/api/versions', { ...NOTES_CTX, id: ro.noteId, limit, beforeOv })).body.items.map((v: { ov: number; addedFunctionIds: string[] }) => [v.ov, v.addedFunctionIds]);
    expect(await added(50)).toEqual([[3, []], [2, ['tagger@v1']], [1, []], [0, []]]);
    // The page ends at v3: whether v3 added tagger@v1 depends on v2, which is on the next page.
    expect(await added(1)).toEqual([[3, []]]);
    expect(await added(1, 3)).toEqual([[2, ['tagger@v1']]]);
  });

  it('shows a version with its base64 prop replaced by a download of the stored bytes', async () => {
    const { body } = await getJson(ro.studio, '/api/version', { ...NOTES_CTX, id: ro.noteId, ov: 0 });
    expect(body.record).toMatchObject({ title: 'First', attachment: { $blob: 'attachment', bytes: ro.attachmentText.length } });
    expect(body.blobs).toEqual([{ prop: 'attachment', bytes: ro.attachmentText.length }]);
    const res = await studioRequest(ro.studio, `/api/blob?${new URLSearchParams({ ...NOTES_CTX, id: ro.noteId, ov: '0', prop: 'attachment' })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(await res.text()).toBe(ro.attachmentText);
  });

  it('refuses a blob download of a prop that is not base64', async () => {
    const res = await studioRequest(ro.studio, `/api/blob?${new URLSearchParams({ ...NOTES_CTX, id: ro.noteId, ov: '0', prop: 'title' })}`);
    expect(res.status).toBe(400);
  });

  it('diffs two versions into added, removed and changed paths', async () => {
    const { body } = await getJson(ro.studio, '/api/diff', { ...NOTES_CTX, id: ro.noteId, a: 0, b: 3 });
    expect(body.a.ov).toBe(0);
    expect(body.b.ov).toBe(3);
    const changed = body.diff.changed.map((d: { path: string }) => d.path);
    expect(changed).toEqual(expect.arrayContaining(['status', 'title', '_system.ov']));
    expect(body.diff.changed.find((d: { path: string }) => d.path === 'title')).toEqual({
      path: 'title',
      before: 'First',
      after: 'First, final',
      // The words that changed, for the page to mark.
      words: [
        { kind: 'same', value: 'First' },
        { kind: 'added', value: ', final' },
      ],
    });
    expect(body.diff.added.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['tags', '_system.functionIds[0]']));
    expect(changed).not.toContain('body');
    const reverse = await getJson(ro.studio, '/api/diff', { ...NOTES_CTX, id: ro.noteId, a: 3, b: 0 });
    expect(reverse.body.diff.removed.map((d: { path: string }) => d.path)).toContain('tags');
  });

  it('reads the record as of an instant', async () => {
    const log = await ro.chronos.admin.versionLog(NOTES_CTX, ro.noteId);
    const v1 = log.items.find((v) => v.ov === 1);
    const { body } = await getJson(ro.studio, '/api/asof', { ...NOTES_CTX, id: ro.noteId, at: v1?.at });
    expect(body.ov).toBe(1);
    expect(body.record.title).toBe('First, edited');
    expect((await getJson(ro.studio, '/api/asof', { ...NOTES_CTX, id: ro.noteId, at: '2000-01-01T00:00:00Z' })).status).toBe(404);
    expect((await getJson(ro.studio, '/api/asof', { ...NOTES_CTX, id: ro.noteId, at: 'yesterday' })).status).toBe(400);
  });
});

describe('restore', () => {
  it('is refused when the Studio is read-only, and nothing is written', async () => {
    const { status, body } = await postRestore(ro.studio, { ...NOTES_CTX, id: ro.noteId, ov: 0, expectedOv: 3, reason: 'try' });
    expect(status).toBe(403);
    expect(body.error).toMatch(/read-only/);
    expect((await ro.chronos.with(NOTES_CTX).history(ro.noteId)).length).toBe(4);
  });

  it('appends a version equal to the chosen one, by actor studio with the typed reason', async () => {
    const ops = rw.chronos.with(NOTES_CTX);
    const { id } = await ops.create({ noteId: 'R-1', status: 'draft', priority: 3, title: 'one', body: 'b' });
    await ops.update(id, { noteId: 'R-1', status: 'published', priority: 3, title: 'two', body: 'b' }, 0);
    const { status, body } = await postRestore(rw.studio, { ...NOTES_CTX, id, ov: 0, expectedOv: 1, reason: '  back to the draft ' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id, ov: 2 });
    const log = await rw.chronos.admin.versionLog(NOTES_CTX, id);
    expect(log.items[0]).toMatchObject({ ov: 2, kind: 'restore', actor: 'studio', reason: 'back to the draft' });
    expect(await ops.getLatest(id)).toMatchObject({ title: 'one', status: 'draft' });
  });

  it('answers 409 with the current version when someone wrote meanwhile, and writes nothing', async () => {
    const ops = rw.chronos.with(NOTES_CTX);
    const { id } = await ops.create({ noteId: 'R-2', status: 'draft', priority: 3, title: 'one', body: 'b' });
    await ops.update(id, { noteId: 'R-2', status: 'draft', priority: 3, title: 'two', body: 'b' }, 0);
    const { status, body } = await postRestore(rw.studio, { ...NOTES_CTX, id, ov: 0, expectedOv: 0, reason: 'stale view' });
    expect(status).toBe(409);
    expect(body.currentOv).toBe(1);
    expect((await ops.history(id)).length).toBe(2);
  });

  it('records which version it restored, and the version log shows it', async () => {
    const ops = rw.chronos.with(NOTES_CTX);
    const { id } = await ops.create({ noteId: 'R-3', status: 'draft', priority: 3, title: 'one', body: 'b' });
    await ops.update(id, { noteId: 'R-3', status: 'draft', priority: 3, title: 'two', body: 'b' }, 0);
    expect((await postRestore(rw.studio, { ...NOTES_CTX, id, ov: 0, expectedOv: 1, reason: 'back' })).status).toBe(200);
    const { body } = await getJson(rw.studio, '/api/versions', { ...NOTES_CTX, id });
    expect(body.items.map((v: { ov: number; kind: string; restoredFrom?: number }) => [v.ov, v.kind, v.restoredFrom])).toEqual([
      [2, 'restore', 0],
      [1, 'update', undefined],
      [0, 'create', undefined],
    ]);
  });

  it('refuses to restore a delete (it would delete again) or the current version, and writes nothing', async () => {
    const ops = rw.chronos.with(NOTES_CTX);
    const { id } = await ops.create({ noteId: 'R-4', status: 'draft', priority: 3, title: 'one', body: 'b' });
    await ops.delete(id, 0);
    await ops.restoreObject(id, { ov: 0 }, 'admin', 'undelete');
    const ofDelete = await postRestore(rw.studio, { ...NOTES_CTX, id, ov: 1, expectedOv: 2, reason: 'oops' });
    expect(ofDelete.status).toBe(400);
    expect(ofDelete.body.error).toMatch(/version 1 is a delete/);
    const ofCurrent = await postRestore(rw.studio, { ...NOTES_CTX, id, ov: 2, expectedOv: 2, reason: 'no-op' });
    expect(ofCurrent.status).toBe(400);
    expect(ofCurrent.body.error).toMatch(/current version/);
    expect((await ops.history(id)).length).toBe(3);
    expect(await ops.getLatest(id)).toMatchObject({ _system: { ov: 2, deleted: false } });
  });

  it('requires a reason', async () => {
    const { status } = await postRestore(rw.studio, { ...NOTES_CTX, id: rw.noteId, ov: 0, expectedOv: 3, reason: ' ' });
    expect(status).toBe(400);
  });
});

describe('counters', () => {
  it('gives the totals and day buckets of a runtime collection', async () => {
    const { status, body } = await getJson(ro.studio, '/api/counters', { tenantId: 'acme', collection: 'notes' });
    expect(status).toBe(200);
    // update, enrich and update of the first note are all counted as updates.
    expect(body.totals).toMatchObject({ created: 2, updated: 3, deleted: 0 });
    expect(body.totals.rules.notes_published).toMatchObject({ created: 0, updated: 3, deleted: 0 });
    expect(body.buckets).toHaveLength(1);
    expect(body.buckets[0]).toMatchObject({ granularity: 'day', created: 2 });
  });

  it('answers 404 for a tenant without an analytics database', async () => {
    expect((await getJson(ro.studio, '/api/counters', { tenantId: 'initech', collection: 'notes' })).status).toBe(404);
  });
});
