/**
 * The queries the engine really sends, caught with the driver's command monitoring while each
 * operation runs once, matched against the engine's declared indexes ({@link requiredIndexes}),
 * and on a real MongoDB also explained by the server itself.
 */
import { MongoClient } from 'mongodb';
import type { CommandStartedEvent, Db, Document } from 'mongodb';
import { requiredIndexes } from '../runtime/ops/indexes.js';
import { createCollectionOps } from '../runtime/ops/collection-ops.js';
import { reconcileCollection } from '../runtime/ops/reconcile.js';
import type { IndexKey } from '../runtime/ops/indexes.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { BENCH_INDEXED_PROP, benchDocument } from './operation-suite.js';
import type { IndexMatch } from './index-match.js';
import { describeShape, matchIndex } from './index-match.js';

/** One query the engine sent during one operation. */
export interface CapturedQuery {
  op: string;
  command: string;
  collection: string;
  filter: Record<string, unknown>;
  sort?: IndexKey;
  match: IndexMatch;
  /** The winning plan's index names (or COLLSCAN) from `explain()`; undefined when not asked. */
  explained?: string;
  /** The command as sent, for explain. */
  sent: Document;
  dbName: string;
}

/** Which server answers at MONGODB_URI. */
export interface ServerKind {
  ferret: boolean;
  version: string;
}

/** Reads buildInfo: FerretDB names itself there (it answers every query with a scan, so explain() is not read). */
export async function serverKind(db: Db): Promise<ServerKind> {
  const info = await db.admin().command({ buildInfo: 1 });
  const ferret = JSON.stringify(info).toLowerCase().includes('ferretdb');
  const ferretVersion = String(info.ferretdbVersion ?? info.ferretdb?.version ?? 'unknown');
  const version = ferret ? `${ferretVersion === 'unknown' ? '(version not reported)' : ferretVersion}, wire-compatible with MongoDB ${String(info.version)}` : String(info.version);
  return { ferret, version };
}

const DRIVER_FIELDS = ['lsid', '$db', '$clusterTime', 'txnNumber', '$readPreference', 'autocommit', 'startTransaction', 'writeConcern', 'readConcern', 'apiVersion'];

/** The driver hands sorts to the wire as a Map (to keep key order); tables and matching want a plain object. */
function toSort(sort: unknown): { sort?: IndexKey } {
  if (sort === undefined || sort === null) return {};
  const entries = sort instanceof Map ? [...sort.entries()] : Object.entries(sort as Record<string, unknown>);
  return { sort: Object.fromEntries(entries.map(([k, v]) => [String(k), Number(v) < 0 ? -1 : 1])) as IndexKey };
}

function queriesOf(event: CommandStartedEvent): Array<{ collection: string; filter: Record<string, unknown>; sort?: IndexKey }> {
  const c = event.command;
  switch (event.commandName) {
    case 'find':
      return [{ collection: c.find, filter: c.filter ?? {}, ...toSort(c.sort) }];
    case 'findAndModify':
      return [{ collection: c.findAndModify, filter: c.query ?? {}, ...toSort(c.sort) }];
    case 'update':
      return (c.updates as Document[]).map((u) => ({ collection: c.update, filter: u.q ?? {} }));
    case 'delete':
      return (c.deletes as Document[]).map((d) => ({ collection: c.delete, filter: d.q ?? {} }));
    default:
      return [];
  }
}

/**
 * Runs each engine operation once on a monitored client (its own database and collection) and
 * returns every query it sent, with the declared index that serves it.
 */
export async function captureQueryShapes(fx: BenchFixture, storage: BenchStorage): Promise<CapturedQuery[]> {
  const client = new MongoClient(fx.servers.mongoUri, { monitorCommands: true });
  await client.connect();
  const db = client.db(fx.database('chronos_bench_shapes').databaseName);
  const collection = 'shapes';
  const ops = fx.ops(db, storage, collection, { indexedProps: [BENCH_INDEXED_PROP] });
  const specs = requiredIndexes(collection, { indexedProps: [BENCH_INDEXED_PROP] });
  let current: string | null = null;
  const captured: CapturedQuery[] = [];
  client.on('commandStarted', (event) => {
    if (current === null) return;
    for (const q of queriesOf(event)) {
      const sent = Object.fromEntries(Object.entries(event.command).filter(([k]) => !DRIVER_FIELDS.includes(k)));
      captured.push({ op: current, command: event.commandName, ...q, match: matchIndex(q, specs), sent, dbName: event.databaseName });
    }
  });
  const during = async (op: string, run: () => Promise<unknown>) => {
    current = op;
    try {
      await run();
    } finally {
      current = null;
    }
  };
  try {
    // Three records with one status so listByMeta has a second page; the first write also builds the indexes, outside the capture.
    const first = await ops.create(benchDocument(0, 'new'));
    await ops.create(benchDocument(1, 'new'));
    await during('create', () => ops.create(benchDocument(2, 'new')));
    const updated = await ops.update(first.id, benchDocument(3, 'new'), 0);
    await during('update', () => ops.update(first.id, benchDocument(4, 'new'), updated.ov));
    await during('enrich', () => ops.enrich(first.id, { tags: ['x'] }));
    await during('getLatest', () => ops.getLatest(first.id));
    await during('getVersion', () => ops.getVersion(first.id, 1));
    await during('getAsOf', () => ops.getAsOf(first.id, new Date(updated.updatedAt)));
    let page: Awaited<ReturnType<typeof ops.listByMeta>> | undefined;
    await during('listByMeta', async () => (page = await ops.listByMeta({ filter: { status: 'new' }, limit: 2 })));
    await during('listByMeta, next page', () => ops.listByMeta({ filter: { status: 'new' }, limit: 2, afterId: page?.nextCursor as string }));
    let byTime: Awaited<ReturnType<typeof ops.listByMeta>> | undefined;
    await during('listByMeta sorted by updatedAt', async () => (byTime = await ops.listByMeta({ filter: { status: 'new' }, sort: { updatedAt: -1 }, limit: 2 })));
    await during('listByMeta sorted by updatedAt, next page', () => ops.listByMeta({ filter: { status: 'new' }, sort: { updatedAt: -1 }, limit: 2, afterId: byTime?.nextCursor as string }));
    // Reconcile with a dead claim to settle, so its pass over the rows not marked committed shows.
    const dying = createCollectionOps(fx.context(db, storage, collection, { indexedProps: [BENCH_INDEXED_PROP] }, { faults: (step) => { if (step === 'claimed') throw new Error('crash'); } }));
    await dying.update(first.id, benchDocument(5, 'new')).catch(() => undefined);
    await during('reconcile', () => reconcileCollection(fx.context(db, storage, collection, { indexedProps: [BENCH_INDEXED_PROP] }), { graceMs: 0 }));
    const kind = await serverKind(db);
    if (!kind.ferret) {
      for (const q of captured) q.explained = await explainWinner(client.db(q.dbName), q.sent);
    }
    return dedupe(captured);
  } finally {
    await client.close();
  }
}

function dedupe(queries: CapturedQuery[]): CapturedQuery[] {
  const seen = new Set<string>();
  return queries.filter((q) => {
    const key = `${q.op}|${q.command}|${q.collection}|${describeShape(q.filter)}|${JSON.stringify(q.sort ?? {})}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Asks the server for the query plan (without running the command) and names the winning plan's indexes. */
async function explainWinner(db: Db, sent: Document): Promise<string> {
  try {
    const plan = await db.command({ explain: sent, verbosity: 'queryPlanner' });
    const winning = plan.queryPlanner?.winningPlan;
    if (!winning) return 'no winningPlan in explain';
    const indexes = new Set<string>();
    let scans = false;
    const walk = (node: unknown) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (typeof n.indexName === 'string') indexes.add(n.indexName);
      if (n.stage === 'COLLSCAN') scans = true;
      if (n.stage === 'IDHACK' || n.stage === 'EXPRESS_IXSCAN' || n.stage === 'EXPRESS_UPDATE') indexes.add('_id_');
      Object.values(n).forEach(walk);
    };
    walk(winning);
    return [...indexes, ...(scans ? ['COLLSCAN'] : [])].join(', ') || `stage ${String(winning.stage ?? winning.queryPlan?.stage)}`;
  } catch (e) {
    return `explain failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}
