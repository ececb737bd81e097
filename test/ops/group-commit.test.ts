/**
 * Group commit (runtime/ops/store/group-commit.ts): concurrent claims and head moves on one
 * collection leave as shared commands, each write keeps its own outcome, and a lone write is sent
 * at once. Against the real MongoDB-wire server, counting the commands the driver sends.
 */
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../runtime/ops/store/group-commit.js';
import { outcomesFromBulkError } from '../../runtime/mongo/bulk-write-errors.js';
import { isTransientError } from '../../runtime/retry/transient.js';
import { HeadStore } from '../../runtime/ops/store/head-store.js';
import { isDuplicateKeyError } from '../../runtime/mongo/duplicate-key.js';
import { VersionStore, type VersionRow } from '../../runtime/ops/store/version-store.js';
import { ensureIndexes } from '../../runtime/ops/engine.js';
import { mongoUri } from '../support/fresh-db.js';
import { uniqueName } from '../support/servers.js';

function row(id: string, ov: number, cv: number): VersionRow {
  const at = new Date();
  return {
    id,
    ov,
    cv,
    at,
    updatedAt: at,
    insertedAt: at,
    deletedAt: null,
    deleted: false,
    functionIds: [],
    state: 'pending',
    claim: `claim-${id}-${ov}-${cv}`,
    claimedAt: at,
    kind: ov === 0 ? 'create' : 'update',
    meta: {},
    opId: `op-${id}-${ov}-${cv}`,
  } as VersionRow;
}

describe('group commit on the real server', () => {
  let db: Db;
  let client: MongoClient;
  const sent: string[] = [];

  beforeAll(async () => {
    client = new MongoClient(mongoUri(10), { monitorCommands: true });
    await client.connect();
    db = client.db(uniqueName('group_commit'));
    // The unique indexes the claims rest on ((id, ov) and cv), as the engine declares them.
    for (const name of ['gc', 'gc_alone', 'gc_dup']) await ensureIndexes(db, name, []);
    client.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.databaseName === db.databaseName) sent.push(`${event.commandName}:${String(event.command[event.commandName])}`);
    });
  });

  afterAll(async () => {
    await client.close();
  });

  it('sends 40 concurrent claims in fewer inserts than claims, and every one is stored', async () => {
    const ver = new VersionStore(db, 'gc_ver');
    sent.length = 0;
    await Promise.all(Array.from({ length: 40 }, (_, i) => ver.claim(row(`r${i}`, 0, i + 1))));
    const inserts = sent.filter((s) => s === 'insert:gc_ver').length;
    expect(inserts).toBeGreaterThanOrEqual(1);
    expect(inserts).toBeLessThan(40);
    expect(await db.collection('gc_ver').countDocuments({})).toBe(40);
  });

  it('sends a lone claim at once, as a command of its own', async () => {
    const ver = new VersionStore(db, 'gc_alone_ver');
    sent.length = 0;
    for (let i = 0; i < 3; i += 1) await ver.claim(row(`alone${i}`, 0, i + 1));
    expect(sent.filter((s) => s === 'insert:gc_alone_ver')).toHaveLength(3);
  });

  it('gives a duplicate claim in a shared batch its own E11000 and stores the others', async () => {
    const ver = new VersionStore(db, 'gc_dup_ver');
    const outcomes = await Promise.allSettled([
      ver.claim(row('a', 0, 1)),
      ver.claim(row('b', 0, 2)),
      ver.claim(row('c', 0, 2)), // the same cv as b: the unique cv index refuses one of them
      ver.claim(row('d', 0, 4)),
    ]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(isDuplicateKeyError((refused[0] as PromiseRejectedResult).reason)).toBe(true);
    expect(await db.collection('gc_dup_ver').countDocuments({})).toBe(3);
  });

  it('moves concurrent heads of many records in shared commands, each to its own version', async () => {
    const heads = new HeadStore(db, 'gc_head');
    const state = (id: string, ov: number) => row(id, ov, ov + 1);
    sent.length = 0;
    await Promise.all(Array.from({ length: 30 }, (_, i) => heads.commit(`h${i}`, state(`h${i}`, 0), { n: i })));
    await Promise.all(Array.from({ length: 30 }, (_, i) => heads.commit(`h${i}`, state(`h${i}`, 1), { n: i + 100 })));
    const commands = sent.filter((s) => s.endsWith(':gc_head')).length;
    expect(commands).toBeLessThan(60);
    for (let i = 0; i < 30; i += 1) {
      const head = await heads.get(`h${i}`);
      expect(head?.ov).toBe(1);
      expect(head?.meta).toEqual({ n: i + 100 });
    }
  });

  it('never puts two moves of one record in one batch: they land in the order they were made', async () => {
    const heads = new HeadStore(db, 'gc_same_head');
    const moves = [0, 1, 2, 3, 4].map((ov) => heads.commit('same', row('same', ov, ov + 1), { ov }));
    await Promise.all(moves);
    expect((await heads.get('same'))?.meta).toEqual({ ov: 4 });
  });
});

describe('GroupCommit batching rules', () => {
  it('answers each item with its own outcome and fails a whole batch only when the send throws', async () => {
    const batches: number[][] = [];
    let failNext = false;
    const group = new GroupCommit<number>(
      async (items) => {
        batches.push([...items]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (failNext) {
          failNext = false;
          throw new Error('network down');
        }
        return items.map((n) => (n % 2 === 0 ? { ok: true } : { ok: false, error: new Error(`odd ${n}`) }));
      },
      (n) => String(n),
      { maxGroup: 4 },
    );
    const first = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => group.submit(n)));
    expect(batches).toEqual([[1], [2, 3, 4, 5], [6]]);
    expect(first.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);

    failNext = true;
    const second = await Promise.allSettled([10, 12].map((n) => group.submit(n)));
    expect(second.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok'))).toEqual(['network down', 'ok']);
  });

  it('lets the next batch leave beside one that hangs, but never a second write of a key in flight', async () => {
    const sent: string[][] = [];
    let releaseHung: () => void = () => {};
    const group = new GroupCommit<{ key: string; n: number }>(
      async (items) => {
        sent.push(items.map((i) => `${i.key}${i.n}`));
        if (items.some((i) => i.key === 'hung' && i.n === 1)) await new Promise<void>((resolve) => (releaseHung = resolve));
        return items.map(() => ({ ok: true }));
      },
      (item) => item.key,
      { stallMs: 40 },
    );
    const hung = group.submit({ key: 'hung', n: 1 });
    const sameKey = group.submit({ key: 'hung', n: 2 });
    const started = performance.now();
    await group.submit({ key: 'other', n: 1 });
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(sent).toEqual([['hung1'], ['other1']]);

    // While the hung batch is unanswered, further writes keep flowing, one batch at a time again.
    await Promise.all([group.submit({ key: 'a', n: 1 }), group.submit({ key: 'b', n: 1 })]);
    expect(sent.slice(2).flat().sort()).toEqual(['a1', 'b1']);
    expect(sent.flat()).not.toContain('hung2');

    releaseHung();
    await Promise.all([hung, sameKey]);
    expect(sent.at(-1)).toEqual(['hung2']);
  });

  it('does not stall a caller when its batch answers in time', async () => {
    let calls = 0;
    const group = new GroupCommit<number>(
      async (items) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return items.map(() => ({ ok: true }));
      },
      (n) => String(n),
      { stallMs: 1_000 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, n) => group.submit(n)));
    expect(calls).toBe(2);
  });
});

describe('outcomes of an unordered batch', () => {
  it('gives each failed document its own error, with the code the retry helper classifies', () => {
    const outcomes = outcomesFromBulkError(
      { writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000 duplicate key' }, { index: 2, code: 11600, errmsg: 'interrupted at shutdown' }] },
      4,
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true]);
    const [duplicate, interrupted] = [outcomes[1], outcomes[2]].map((o) => (o && !o.ok ? o.error : undefined));
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    expect(isTransientError(duplicate)).toBe(false);
    expect(isTransientError(interrupted)).toBe(true);
  });

  it('rethrows an error that names no document: it concerns the whole batch', () => {
    const network = new Error('connection reset');
    expect(() => outcomesFromBulkError(network, 3)).toThrow(network);
  });
});
