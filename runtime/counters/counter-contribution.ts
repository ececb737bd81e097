/**
 * What one committed version adds to the counters: its kind and time, the counter documents it
 * lands in (running total plus day, week and month buckets) and, per matching rule, the seen-value
 * ids of its unique props. Computed once, in memory, when the version is observed (payload-scope
 * rules need the data, which only the event carries), and stored with the version's `cnt_seen`
 * row so a batch interrupted by a crash can be finished from the database alone.
 */
import type { WriteEvent, WriteKind } from '../ops/write-event.js';
import { bucketKey, bucketOf, GRANULARITIES, totalsKey, uniqueValueId, versionKey, type CounterScope, type Granularity } from './counter-keys.js';
import { evaluateRules, type CounterRule } from './counter-rule.js';

/** Fields a counter document gets when it is first created (they identify it for queries). */
export interface CounterIdentity {
  tenantId: string | null;
  dbName: string;
  collection: string;
  /** `all` for the running total, else the bucket granularity. */
  granularity: Granularity | 'all';
  /** Bucket label (`2026-11-25`, `2026-W48`, `2026-11`); absent on the running total. */
  bucket?: string;
  /** Bucket start (UTC); absent on the running total. */
  start?: Date;
}

/** One counter document a version is counted in. */
export interface CounterTarget {
  id: string;
  identity: CounterIdentity;
}

/** A rule a version matched, with one seen-value id per {@link CounterTarget} for each unique prop it has. */
export interface ContributionHit {
  rule: string;
  uniques: Array<{ prop: string; ids: string[] }>;
}

/** What one version adds; `key` is its {@link versionKey}, the idempotence key of counting. */
export interface Contribution {
  key: string;
  tenantId: string | null;
  dbName: string;
  collection: string;
  kind: WriteKind;
  at: Date;
  hits: ContributionHit[];
}

/** The `cnt_seen` row of a counted version: the contribution, and the batch that counts it. */
export interface SeenRow {
  _id: string;
  /** Batch id: the batch that inserted this row is the one (and only one) that counts it. */
  b: string;
  t: string | null;
  db: string;
  c: string;
  k: WriteKind;
  at: Date;
  h: Array<{ r: string; u: Array<{ p: string; i: string[] }> }>;
}

/** The counter documents of a scope at `at`: the running total first, then day, week, month. */
export function counterTargets(scope: { tenantId: string | null; dbName: string; collection: string }, at: Date): CounterTarget[] {
  const keyScope: CounterScope = { dbName: scope.dbName, collection: scope.collection, ...(scope.tenantId !== null && { tenantId: scope.tenantId }) };
  const base = { tenantId: scope.tenantId, dbName: scope.dbName, collection: scope.collection };
  const targets: CounterTarget[] = [{ id: totalsKey(keyScope), identity: { ...base, granularity: 'all' } }];
  for (const granularity of GRANULARITIES) {
    const bucket = bucketOf(at, granularity);
    targets.push({ id: bucketKey(keyScope, bucket), identity: { ...base, granularity, bucket: bucket.label, start: bucket.start } });
  }
  return targets;
}

/** Evaluates `rules` on `event` (meta or payload, as each rule's scope says) and computes everything the version adds. */
export function contributionOf(event: WriteEvent, rules: readonly CounterRule[]): Contribution {
  const scope = { tenantId: event.tenantId ?? null, dbName: event.dbName, collection: event.collection };
  const targets = counterTargets(scope, event.at);
  const hits = evaluateRules(event, rules).map((hit) => ({
    rule: hit.rule,
    uniques: hit.uniques.map(({ prop, value }) => ({ prop, ids: targets.map((t) => uniqueValueId(t.id, hit.rule, prop, value)) })),
  }));
  const keyScope: CounterScope = { dbName: event.dbName, collection: event.collection, ...(event.tenantId !== undefined && { tenantId: event.tenantId }) };
  return { key: versionKey(keyScope, event.id, event.ov), ...scope, kind: event.kind, at: event.at, hits };
}

/** The `cnt_seen` row that marks `c` as counted by batch `batchId`. */
export function toSeenRow(c: Contribution, batchId: string): SeenRow {
  return {
    _id: c.key,
    b: batchId,
    t: c.tenantId,
    db: c.dbName,
    c: c.collection,
    k: c.kind,
    at: c.at,
    h: c.hits.map((hit) => ({ r: hit.rule, u: hit.uniques.map((u) => ({ p: u.prop, i: u.ids })) })),
  };
}

/** The contribution a `cnt_seen` row recorded (what recovery finishes a batch with). */
export function fromSeenRow(row: SeenRow): Contribution {
  return {
    key: row._id,
    tenantId: row.t,
    dbName: row.db,
    collection: row.c,
    kind: row.k,
    at: row.at,
    hits: row.h.map((hit) => ({ rule: hit.r, uniques: hit.u.map((u) => ({ prop: u.p, ids: u.i })) })),
  };
}
