import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCounterRecorder } from '../../runtime/counters/counter-recorder.js';
import { counterRuleSchema, type CounterRuleInput } from '../../runtime/counters/counter-rule.js';
import { getTotals } from '../../runtime/counters/counter-totals.js';
import type { WriteEvent, WriteKind } from '../../runtime/ops/write-event.js';
import { testServers, uniqueName } from '../support/servers.js';

let client: MongoClient;

beforeAll(async () => {
  client = new MongoClient(testServers().mongoUri);
  await client.connect();
});

afterAll(async () => {
  await client.close();
});

function freshDb(): Db {
  const db = client.db(uniqueName('cnt'));
  return db;
}

let seq = 0;
function event(kind: WriteKind, meta: Record<string, unknown>, extra: Partial<WriteEvent> = {}): WriteEvent {
  seq += 1;
  return { kind, dbName: 'rt_a', collection: 'events', tenantId: 'a', id: `r${seq}`, ov: 0, cv: seq, at: new Date('2026-11-25T10:00:00Z'), meta, data: { ...meta }, previousMeta: null, ...extra };
}

function rules(...inputs: CounterRuleInput[]) {
  return inputs.map((r) => counterRuleSchema.parse(r));
}

const scope = { dbName: 'rt_a', collection: 'events', tenantId: 'a' };

describe('totals of a known event set', () => {
  it('counts every kind and each rule, with exact unique counts, in the shape the chronos-db API documents', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({
      resolveAnalyticsDb: () => db,
      debounceMs: 1000,
      rules: rules(
        { name: 'user_logins', on: ['CREATE'], scope: 'meta', when: { action: 'login' }, countUnique: ['sessionId'] },
        { name: 'big_purchases', on: ['CREATE', 'UPDATE'], when: { action: 'purchase', amount: { $gte: 100 } }, countUnique: ['productId', 'buyer.id'] },
      ),
    });
    const events = [
      event('CREATE', { action: 'login', sessionId: 's1' }),
      event('CREATE', { action: 'login', sessionId: 's2' }),
      event('CREATE', { action: 'login', sessionId: 's1' }), // same session again
      event('UPDATE', { action: 'login', sessionId: 's3' }), // not counted by user_logins (CREATE only)
      event('CREATE', { action: 'purchase', amount: 150, productId: 'p1', buyer: { id: 'b1' } }),
      event('CREATE', { action: 'purchase', amount: 99, productId: 'p2', buyer: { id: 'b1' } }), // below threshold
      event('UPDATE', { action: 'purchase', amount: 100, productId: 'p1', buyer: { id: 'b2' } }),
      event('DELETE', { action: 'purchase', amount: 500, productId: 'p9' }, { at: new Date('2026-11-25T11:30:00Z') }),
    ];
    for (const e of events) recorder.observe(e);
    await recorder.flush();
    expect(await getTotals(db, scope)).toEqual({
      _id: 'tenant:a|db:rt_a|coll:events',
      created: 5,
      updated: 2,
      deleted: 1,
      rules: {
        user_logins: { created: 3, updated: 0, deleted: 0, unique: { sessionId: 2 } },
        big_purchases: { created: 1, updated: 1, deleted: 0, unique: { productId: 1, 'buyer.id': 2 } },
      },
      lastAt: '2026-11-25T11:30:00.000Z',
    });
    await recorder.close();
  });

  it('returns zeros for a collection nothing was counted in, and keys a write without tenant as tenant:', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 0, rules: [] });
    recorder.observe(event('CREATE', {}, { tenantId: undefined }));
    await recorder.flush();
    expect(await getTotals(db, { dbName: 'rt_a', collection: 'other' })).toEqual({ _id: 'tenant:|db:rt_a|coll:other', created: 0, updated: 0, deleted: 0, rules: {}, lastAt: null });
    expect((await getTotals(db, { dbName: 'rt_a', collection: 'events' })).created).toBe(1);
    expect((await getTotals(db, scope)).created).toBe(0);
  });

  it('finds the tenant from the database when getTotals is not given one, and asks for it when two tenants share it', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 0, rules: [] });
    recorder.observe(event('CREATE', {}));
    await recorder.flush();
    expect(await getTotals(db, { dbName: 'rt_a', collection: 'events' })).toMatchObject({ _id: 'tenant:a|db:rt_a|coll:events', created: 1 });
    recorder.observe(event('CREATE', {}, { tenantId: 'b' }));
    await recorder.flush();
    await expect(getTotals(db, { dbName: 'rt_a', collection: 'events' })).rejects.toThrow(/pass the tenantId/);
    expect((await getTotals(db, { ...scope, tenantId: 'b' })).created).toBe(1);
  });

  it('counts nothing when the event has no analytics database', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: (e) => (e.tenantId === 'a' ? db : undefined), debounceMs: 0, rules: [] });
    recorder.observe(event('CREATE', {}, { tenantId: 'b' }));
    await recorder.flush();
    expect(await db.collection('cnt_total').countDocuments()).toBe(0);
  });
});

describe('rule semantics', () => {
  it('counts CREATE only when on is omitted, and exactly the kinds named otherwise', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 0, rules: rules({ name: 'dflt', when: {} }, { name: 'del', on: ['DELETE'], when: {} }) });
    for (const kind of ['CREATE', 'UPDATE', 'DELETE', 'CREATE'] as const) recorder.observe(event(kind, {}));
    await recorder.flush();
    const totals = await getTotals(db, scope);
    expect(totals.rules.dflt).toEqual({ created: 2, updated: 0, deleted: 0, unique: {} });
    expect(totals.rules.del).toEqual({ created: 0, updated: 0, deleted: 1, unique: {} });
  });

  it('reads meta or payload as the scope says', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({
      resolveAnalyticsDb: () => db,
      debounceMs: 0,
      rules: rules({ name: 'm', scope: 'meta', when: { plan: 'pro' } }, { name: 'p', scope: 'payload', when: { plan: 'pro' }, countUnique: ['email'] }),
    });
    recorder.observe(event('CREATE', { plan: 'pro' }, { data: { plan: 'free', email: 'x@y' } }));
    recorder.observe(event('CREATE', { plan: 'free' }, { data: { plan: 'pro', email: 'x@y' } }));
    recorder.observe(event('CREATE', {}, { data: { plan: 'pro', email: 'z@y' } }));
    await recorder.flush();
    const totals = await getTotals(db, scope);
    expect(totals.rules.m?.created).toBe(1);
    expect(totals.rules.p).toEqual({ created: 2, updated: 0, deleted: 0, unique: { email: 2 } });
  });

  it('evaluates each operator on the event', async () => {
    const db = freshDb();
    const ops: CounterRuleInput[] = [
      { name: 'gt', when: { n: { $gt: 2 } } },
      { name: 'gte', when: { n: { $gte: 2 } } },
      { name: 'lt', when: { n: { $lt: 2 } } },
      { name: 'lte', when: { n: { $lte: 2 } } },
      { name: 'in', when: { n: { $in: [1, 3] } } },
      { name: 'nin', when: { n: { $nin: [1, 3] } } },
      { name: 'ne', when: { n: { $ne: 2 } } },
      { name: 'exists', when: { tag: { $exists: true } } },
      { name: 'absent', when: { tag: { $exists: false } } },
      { name: 'eq', when: { 'deep.x': 'y' } },
    ];
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 0, rules: rules(...ops) });
    recorder.observe(event('CREATE', { n: 1, tag: 't', deep: { x: 'y' } }));
    recorder.observe(event('CREATE', { n: 2 }));
    recorder.observe(event('CREATE', { n: 3, tag: null }));
    recorder.observe(event('CREATE', { tag: 't' })); // n missing
    await recorder.flush();
    const totals = await getTotals(db, scope);
    const got = Object.fromEntries(Object.entries(totals.rules).map(([name, r]) => [name, r.created]));
    expect(got).toEqual({ gt: 1, gte: 2, lt: 1, lte: 2, in: 2, nin: 2, ne: 3, exists: 3, absent: 1, eq: 1 });
  });

  it('refuses a rule with server-side code or an unknown operator, naming the path', () => {
    for (const when of [{ $where: 'true' }, { a: { $function: {} } }, { a: { $accumulator: {} } }, { a: { $regex: '.' } }]) {
      const parsed = counterRuleSchema.safeParse({ name: 'bad', when });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path[0]).toBe('when');
    }
    expect(counterRuleSchema.safeParse({ name: 'a.b', when: {} }).success).toBe(false);
    expect(counterRuleSchema.safeParse({ name: 'u', when: {}, countUnique: ['user', 'user.id'] }).success).toBe(false);
    expect(counterRuleSchema.safeParse({ name: 'x', when: {}, extra: 1 }).success).toBe(false);
    expect(counterRuleSchema.safeParse({ name: '__proto__', when: {} }).success).toBe(false);
    expect(counterRuleSchema.safeParse({ name: 'p', when: {}, countUnique: ['a.__proto__'] }).success).toBe(false);
  });
});

describe('exact unique counts under concurrency', () => {
  it('counts a value seen by 20 concurrent recorders once', async () => {
    const db = freshDb();
    const ruleSet = rules({ name: 'logins', when: {}, countUnique: ['sessionId'] });
    const recorders = Array.from({ length: 20 }, () => createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 0, rules: ruleSet }));
    recorders.forEach((r, i) => r.observe(event('CREATE', { sessionId: i % 2 === 0 ? 'same' : `s${i}` })));
    await Promise.all(recorders.map((r) => r.flush()));
    const totals = await getTotals(db, scope);
    expect(totals.created).toBe(20);
    expect(totals.rules.logins).toEqual({ created: 20, updated: 0, deleted: 0, unique: { sessionId: 11 } });
  });

  it('is exact after flush for many concurrent debounced writes across recorders', async () => {
    const db = freshDb();
    const ruleSet = rules({ name: 'views', when: { action: 'view' }, countUnique: ['productId'] });
    const recorders = Array.from({ length: 5 }, () => createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 5, rules: ruleSet }));
    const writes = Array.from({ length: 400 }, (_, i) => ({ i, r: recorders[i % 5]! }));
    await Promise.all(
      writes.map(async ({ i, r }) => {
        await Promise.resolve();
        r.observe(event(i % 4 === 0 ? 'UPDATE' : 'CREATE', { action: i % 10 === 0 ? 'other' : 'view', productId: `p${i % 37}` }));
      }),
    );
    await Promise.all(recorders.map((r) => r.flush()));
    const totals = await getTotals(db, scope);
    expect(totals.created + totals.updated).toBe(400);
    expect(totals.updated).toBe(100);
    // CREATE events: i % 4 != 0 → 300; of those, "other" ones (i % 10 == 0) are i ≡ 10 (mod 20) → 20.
    expect(totals.rules.views?.created).toBe(280);
    // Products seen by counted CREATE events: every residue mod 37 occurs among 280 such i.
    expect(totals.rules.views?.unique).toEqual({ productId: 37 });
    for (const r of recorders) await r.close();
  });
});

describe('debounce', () => {
  it('writes nothing before the debounce elapses, and one $inc per counter document on flush', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 60_000, rules: rules({ name: 'all', when: {} }) });
    for (let i = 0; i < 50; i += 1) recorder.observe(event('CREATE', {}));
    expect(await db.collection('cnt_total').countDocuments()).toBe(0);
    await recorder.flush();
    // One running total plus one day, week and month bucket.
    expect(await db.collection('cnt_total').countDocuments()).toBe(4);
    expect((await getTotals(db, scope)).rules.all?.created).toBe(50);
    await recorder.close();
  });

  it('writes on its own once the debounce elapses', async () => {
    const db = freshDb();
    let flushed!: () => void;
    const done = new Promise<void>((resolve) => (flushed = resolve));
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 20, rules: [] });
    recorder.observe(event('CREATE', {}));
    // Wait on the data, not on time: poll until the timer's flush is visible.
    const poll = async (): Promise<void> => {
      if ((await getTotals(db, scope)).created === 1) flushed();
      else setImmediate(() => void poll());
    };
    void poll();
    await done;
    expect((await getTotals(db, scope)).created).toBe(1);
    await recorder.close();
  });

  it('sends a batch before the debounce elapses once batchSize contributions wait', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 3_600_000, batchSize: 3, rules: [] });
    for (let i = 0; i < 3; i += 1) recorder.observe(event('CREATE', {}));
    await vi.waitFor(async () => expect((await getTotals(db, scope)).created).toBe(3), { timeout: 10_000, interval: 20 });
    await recorder.close();
  });

  it('keeps the newest lastAt when an older event is flushed later', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 60_000, rules: [] });
    recorder.observe(event('CREATE', {}, { at: new Date('2026-11-25T12:00:00Z') }));
    await recorder.flush();
    recorder.observe(event('CREATE', {}, { at: new Date('2026-11-25T09:00:00Z') }));
    await recorder.flush();
    expect(await getTotals(db, scope)).toMatchObject({ created: 2, lastAt: '2026-11-25T12:00:00.000Z' });
  });

  it('ignores events after close', async () => {
    const db = freshDb();
    const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 10_000, rules: [] });
    recorder.observe(event('CREATE', {}));
    await recorder.close();
    recorder.observe(event('CREATE', {}));
    await recorder.flush();
    expect((await getTotals(db, scope)).created).toBe(1);
  });
});
