/**
 * The in-memory side of debounced counters: increments aggregated per counter document until the
 * next flush, so N writes to one collection cost one `$inc` per document instead of N.
 */
import type { Db, MongoClient } from 'mongodb';
import type { WriteEvent } from '../ops/write-event.js';
import { bucketKey, bucketOf, GRANULARITIES, totalsKey, uniqueValueId, type CounterScope, type Granularity } from './counter-keys.js';
import type { RuleHit } from './counter-rule.js';

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

/** A seen-value candidate: inserted into `cnt_unique` at flush; the first insert counts. */
export interface UniqueCandidate {
  rule: string;
  prop: string;
}

/** Pending changes to one counter document. */
export interface PendingDoc {
  db: Db;
  id: string;
  identity: CounterIdentity;
  /** Field path in the counter document → amount to add. */
  inc: Map<string, number>;
  /** Latest commit time counted; written with `$max` so out-of-order flushes keep the newest. */
  lastAt: Date;
  /** Seen-value id → what it counts. A Map, so one value seen twice in a batch is claimed once. */
  uniques: Map<string, UniqueCandidate>;
}

const FIELD_OF_KIND = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted' } as const;

/**
 * Pending documents grouped by analytics database, then by `_id`. Databases are told apart by
 * client and name, not by `Db` object: `client.db(name)` returns a new object on every call, and
 * one key must still get one `$inc`.
 */
export class CounterBatch {
  private readonly byDb = new Map<MongoClient, Map<string, { db: Db; docs: Map<string, PendingDoc> }>>();

  /** True when nothing is pending. */
  get isEmpty(): boolean {
    return this.byDb.size === 0;
  }

  /** Counts one event (totals and every bucket) with the rules it matched. */
  add(db: Db, event: WriteEvent, hits: readonly RuleHit[]): void {
    const scope: CounterScope = { dbName: event.dbName, collection: event.collection, tenantId: event.tenantId };
    const base = { tenantId: event.tenantId ?? null, dbName: event.dbName, collection: event.collection };
    const targets: Array<{ id: string; identity: CounterIdentity }> = [{ id: totalsKey(scope), identity: { ...base, granularity: 'all' } }];
    for (const granularity of GRANULARITIES) {
      const bucket = bucketOf(event.at, granularity);
      targets.push({ id: bucketKey(scope, bucket), identity: { ...base, granularity, bucket: bucket.label, start: bucket.start } });
    }
    const kindField = FIELD_OF_KIND[event.kind];
    for (const target of targets) {
      const doc = this.docFor(db, target.id, target.identity, event.at);
      bump(doc.inc, kindField, 1);
      for (const hit of hits) {
        bump(doc.inc, `rules.${hit.rule}.${kindField}`, 1);
        for (const { prop, value } of hit.uniques) {
          doc.uniques.set(uniqueValueId(target.id, hit.rule, prop, value), { rule: hit.rule, prop });
        }
      }
    }
  }

  /** Puts back documents a flush could not write, merging with anything added since. */
  restore(docs: readonly PendingDoc[]): void {
    for (const failed of docs) {
      const doc = this.docFor(failed.db, failed.id, failed.identity, failed.lastAt);
      for (const [path, amount] of failed.inc) bump(doc.inc, path, amount);
      for (const [id, candidate] of failed.uniques) doc.uniques.set(id, candidate);
    }
  }

  /** Every pending document, grouped by database. */
  groups(): Array<{ db: Db; docs: PendingDoc[] }> {
    return [...this.byDb.values()].flatMap((byName) => [...byName.values()].map(({ db, docs }) => ({ db, docs: [...docs.values()] })));
  }

  private docsOf(db: Db): Map<string, PendingDoc> {
    let byName = this.byDb.get(db.client);
    if (!byName) {
      byName = new Map();
      this.byDb.set(db.client, byName);
    }
    let group = byName.get(db.databaseName);
    if (!group) {
      group = { db, docs: new Map() };
      byName.set(db.databaseName, group);
    }
    return group.docs;
  }

  private docFor(db: Db, id: string, identity: CounterIdentity, at: Date): PendingDoc {
    const docs = this.docsOf(db);
    let doc = docs.get(id);
    if (!doc) {
      doc = { db, id, identity, inc: new Map(), lastAt: at, uniques: new Map() };
      docs.set(id, doc);
    } else if (at > doc.lastAt) {
      doc.lastAt = at;
    }
    return doc;
  }
}

function bump(inc: Map<string, number>, path: string, amount: number): void {
  inc.set(path, (inc.get(path) ?? 0) + amount);
}
