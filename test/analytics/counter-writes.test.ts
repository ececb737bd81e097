import { MongoClient, MongoNetworkError, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCounterRecorder } from '../../runtime/counters/counter-recorder.js';
import { counterRuleSchema } from '../../runtime/counters/counter-rule.js';
import { getTotals } from '../../runtime/counters/counter-totals.js';
import type { WriteEvent } from '../../runtime/ops/write-event.js';
import { testServers, uniqueName } from '../support/servers.js';

let client: MongoClient;
const sent: CommandStartedEvent[] = [];

beforeAll(async () => {
  client = new MongoClient(testServers().mongoUri, { monitorCommands: true });
  client.on('commandStarted', (e) => sent.push(e));
  await client.connect();
});

afterAll(async () => {
  await client.close();
});

function freshDb(): Db {
  const db = client.db(uniqueName('cntw'));
  return db;
}

const scope = { dbName: 'rt', collection: 'events', tenantId: 't' };
const rules = [counterRuleSchema.parse({ name: 'views', when: {}, countUnique: ['productId'] })];
let seq = 0;
function view(productId: string): WriteEvent {
  seq += 1;
  return { kind: 'CREATE', ...scope, id: `r${seq}`, ov: 0, cv: seq, at: new Date('2026-11-25T10:00:00Z'), meta: { productId }, data: {}, previousMeta: null };
}

/** Fault injection: the first bulk write of counters through the returned Db fails before reaching the server. */
function failingOnce(db: Db): Db {
  let failures = 1;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'collection') return Reflect.get(target, prop, receiver) as unknown;
      return (name: string) => {
        const collection = target.collection(name);
        if (name !== 'cnt_total') return collection;
        return new Proxy(collection, {
          get(c, p, r) {
            if (p === 'bulkWrite' && failures > 0) {
              failures -= 1;
              return () => Promise.reject(new MongoNetworkError('injected: connection reset'));
            }
            const value = Reflect.get(c, p, r) as unknown;
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(c) : value;
          },
        });
      };
    },
  });
}

describe('what a flush sends', () => {
  it('journals the batch, marks the versions and claims distinct values with unordered inserts, then writes one $inc per counter document', async () => {
    const db = freshDb();
    // A new Db object per event, as client.db(name) gives: still one database to the batch.
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => client.db(db.databaseName), debounceMs: 60_000, rules });
    for (let i = 0; i < 30; i += 1) recorder.observe(view(`p${i % 3}`));
    sent.length = 0;
    await recorder.flush();
    const writes = sent.filter((e) => e.databaseName === db.databaseName && ['insert', 'update'].includes(e.commandName));
    expect(writes.map((e) => [e.commandName, e.command[e.commandName]])).toEqual([
      ['insert', 'cnt_batch'],
      ['insert', 'cnt_seen'],
      ['insert', 'cnt_unique'],
      ['update', 'cnt_total'],
      ['update', 'cnt_batch'],
    ]);
    const seen = writes[1]!.command as { ordered: boolean; documents: Array<{ _id: string; b: string }> };
    expect([seen.ordered, seen.documents.length]).toEqual([false, 30]);
    expect(seen.documents[0]!._id).toMatch(/^tenant:t\|db:rt\|coll:events\|id:r\d+\|ov:0$/);
    const insert = writes[2]!.command as { ordered: boolean; documents: Array<{ _id: string; b: string; g?: string }> };
    // 3 products × (total + day + week + month)
    expect([insert.ordered, insert.documents.length]).toEqual([false, 12]);
    expect(insert.documents.every((d) => /^[A-Za-z0-9_-]{22}$/.test(d._id) && d.b === seen.documents[0]!.b && !JSON.stringify(d).includes('p1'))).toBe(true);
    const updates = (writes[3]!.command as { updates: Array<{ q: unknown; u: Record<string, Record<string, unknown>>; upsert: boolean }> }).updates;
    expect(updates).toHaveLength(4);
    expect(updates[0]).toMatchObject({
      q: { _id: 'tenant:t|db:rt|coll:events' },
      u: { $inc: { created: 30, 'rules.views.created': 30, 'rules.views.unique.productId': 3 }, $max: { lastAt: new Date('2026-11-25T10:00:00Z') } },
      upsert: true,
    });
    // The batch's marker lands in the same single-document update as its increments.
    expect(Object.values(updates[0]!.u.$set!)).toEqual([seen.documents[0]!.b]);
  });
});

describe('a failed flush', () => {
  it('keeps the increments pending and writes them exactly once on the next flush', async () => {
    const db = freshDb();
    const faulty = failingOnce(db);
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => faulty, debounceMs: 60_000, rules });
    for (const p of ['a', 'b', 'a']) recorder.observe(view(p));
    await expect(recorder.flush()).rejects.toThrow(/injected/);
    expect(await db.collection('cnt_total').countDocuments()).toBe(0);
    recorder.observe(view('c'));
    await recorder.flush();
    const totals = await getTotals(db, scope);
    expect([totals.created, totals.rules.views?.unique.productId]).toEqual([4, 3]);
  });

  it('reports a failed background flush and keeps its increments for the next one', async () => {
    const db = freshDb();
    let reported!: (error: unknown) => void;
    const failed = new Promise<unknown>((resolve) => (reported = resolve));
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => failingOnce(db), debounceMs: 1, rules, onError: (e) => reported(e) });
    await recorder.observe(view('a'));
    expect(String(await failed)).toMatch(/injected/);
    await recorder.close();
    const totals = await getTotals(db, scope);
    expect([totals.created, totals.rules.views?.unique.productId]).toEqual([1, 1]);
  });

  it('returns nothing to wait for from observe, even without debounce, and keeps the increments of a failed batch', async () => {
    const db = freshDb();
    let reported!: (error: unknown) => void;
    const failed = new Promise<unknown>((resolve) => (reported = resolve));
    const faulty = failingOnce(db);
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => faulty, debounceMs: 0, rules, onError: (e) => reported(e) });
    expect(recorder.observe(view('a'))).toBeUndefined();
    expect(String(await failed)).toMatch(/injected/);
    await recorder.close();
    expect((await getTotals(db, scope)).created).toBe(1);
  });

  it('reports an event it cannot route instead of throwing at the engine', async () => {
    const errors: unknown[] = [];
    const recorder = createCounterRecorder({
      resolveAnalyticsDb: () => {
        throw new Error('no analytics database for tenant t');
      },
      debounceMs: 0,
      rules,
      onError: (e) => errors.push(e),
    });
    expect(() => recorder.observe(view('a'))).not.toThrow();
    expect(String(errors[0])).toMatch(/no analytics database/);
  });
});
