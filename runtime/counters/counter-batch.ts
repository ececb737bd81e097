/**
 * The in-memory side of counting: contributions wait here, grouped by analytics database, until
 * the next batch; a batch turns the contributions it owns into one `$inc` per counter document,
 * so N writes to one collection cost a handful of statements per batch instead of N.
 */
import type { Db, MongoClient } from 'mongodb';
import { counterTargets, type Contribution, type CounterIdentity } from './counter-contribution.js';

/** Increments of one counter document, applied with one upsert. */
export interface PendingDoc {
  id: string;
  identity: CounterIdentity;
  /** Field path in the counter document → amount to add. */
  inc: Map<string, number>;
  /** Latest commit time counted; written with `$max` so out-of-order batches keep the newest. */
  lastAt: Date;
}

/** A seen-value row to insert into `cnt_unique`; the batch whose insert succeeds counts the value. */
export interface UniqueRow {
  _id: string;
  /** The batch that claimed the value: only it adds the value's `+1`. */
  b: string;
  /** Granularity and bucket start, for retention; absent on running-total rows. */
  g?: string;
  start?: Date;
}

/** One batch of contributions for one analytics database. */
export interface CounterBatch {
  /** Random id; also the journal row's `_id` and the `b` of every row the batch inserts. */
  id: string;
  /** Id of the writer (recorder incarnation) whose marker `j.<writer>` the batch sets on counter documents. */
  writer: string;
  /** When the batch was opened (writer's clock); the writer gives up on it after its lease. */
  openedAt: Date;
  db: Db;
  contributions: Contribution[];
}

const FIELD_OF_KIND = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted' } as const;

/**
 * Contributions waiting for a batch, grouped by database. Databases are told apart by client and
 * name, not by `Db` object (`client.db(name)` returns a new object on every call). A version
 * observed twice before a batch is kept once.
 */
export class ContributionQueue {
  private readonly byDb = new Map<MongoClient, Map<string, { db: Db; pending: Map<string, Contribution> }>>();
  private count = 0;

  /** How many contributions wait. */
  get size(): number {
    return this.count;
  }

  /** Queues `c` for `db`. */
  add(db: Db, c: Contribution): void {
    let byName = this.byDb.get(db.client);
    if (!byName) this.byDb.set(db.client, (byName = new Map()));
    let group = byName.get(db.databaseName);
    if (!group) byName.set(db.databaseName, (group = { db, pending: new Map() }));
    if (!group.pending.has(c.key)) this.count += 1;
    group.pending.set(c.key, c);
  }

  /** Takes everything queued, per database, leaving the queue empty. */
  drain(): Array<{ db: Db; contributions: Contribution[] }> {
    const out = [...this.byDb.values()].flatMap((byName) => [...byName.values()].map(({ db, pending }) => ({ db, contributions: [...pending.values()] })));
    this.byDb.clear();
    this.count = 0;
    return out;
  }
}

/** The distinct `cnt_unique` rows the contributions claim, stamped with the batch id. */
export function uniqueRowsOf(contributions: readonly Contribution[], batchId: string): UniqueRow[] {
  const rows = new Map<string, UniqueRow>();
  for (const c of contributions) {
    const targets = counterTargets(c, c.at);
    for (const hit of c.hits) {
      for (const u of hit.uniques) {
        u.ids.forEach((id, i) => {
          const identity = targets[i]?.identity;
          if (rows.has(id) || !identity) return;
          rows.set(id, identity.start ? { _id: id, b: batchId, g: identity.granularity, start: identity.start } : { _id: id, b: batchId });
        });
      }
    }
  }
  return [...rows.values()];
}

/**
 * The increments of a batch: every owned contribution adds its kind (and each rule it matched) to
 * its four counter documents, and every seen value the batch owns adds 1 to its rule's unique
 * count. Deterministic, so recovery computes the same increments from the stored rows.
 */
export function incrementsOf(owned: readonly Contribution[], ownedUniques: ReadonlySet<string>): PendingDoc[] {
  const docs = new Map<string, PendingDoc>();
  const counted = new Set<string>();
  for (const c of owned) {
    const kindField = FIELD_OF_KIND[c.kind];
    counterTargets(c, c.at).forEach((target, i) => {
      let doc = docs.get(target.id);
      if (!doc) docs.set(target.id, (doc = { id: target.id, identity: target.identity, inc: new Map(), lastAt: c.at }));
      else if (c.at > doc.lastAt) doc.lastAt = c.at;
      bump(doc.inc, kindField);
      for (const hit of c.hits) {
        bump(doc.inc, `rules.${hit.rule}.${kindField}`);
        for (const u of hit.uniques) {
          const id = u.ids[i];
          if (id === undefined || !ownedUniques.has(id) || counted.has(id)) continue;
          counted.add(id);
          bump(doc.inc, `rules.${hit.rule}.unique.${u.prop}`);
        }
      }
    });
  }
  return [...docs.values()];
}

function bump(inc: Map<string, number>, path: string): void {
  inc.set(path, (inc.get(path) ?? 0) + 1);
}
