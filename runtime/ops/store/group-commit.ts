/**
 * Group commit for single-document writes: while one command to a collection is on the wire,
 * the writes that arrive for that collection wait and then leave together as one command.
 *
 * A lone caller pays nothing (its write leaves at once, as one-element batch); under load the
 * batches grow with the number of callers, so N concurrent writers cost about one command per
 * round trip instead of N. That is what lets concurrent callers outrun one: on FerretDB's SQLite
 * backend every command is a transaction that takes the database's write lock, and on this
 * machine every command also costs a socket write on each side. Each write still gets its own
 * outcome: the per-document errors of an unordered batch go to their own callers only.
 *
 * One batch is in flight per database object, collection and kind of write, unless it stalls:
 * a batch that has not answered after {@link STALL_MS} no longer holds the queue back, so one hung
 * connection (a server that stopped answering, a half-open socket) delays the other writes by
 * that long instead of for as long as it hangs. Writes with the same key (the same document)
 * never share a batch and never leave while an earlier write with that key is still in flight,
 * so neither an unordered batch nor a stalled one can apply them out of order.
 */
import { outcomesFromBulkError, type ItemOutcome } from '../../mongo/bulk-write-errors.js';
import type { Db } from 'mongodb';

interface Waiting<T> {
  readonly item: T;
  readonly key: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** The most writes one batch carries. */
const MAX_GROUP = 64;

/** How long a batch may go unanswered before the next one leaves beside it (ms). */
const STALL_MS = 2_000;

/** Tuning of a {@link GroupCommit}; the defaults are what the stores use. */
export interface GroupCommitOptions {
  /** The most writes one batch carries; default {@link MAX_GROUP}. */
  maxGroup?: number;
  /** How long a batch may go unanswered before the next one leaves beside it; default {@link STALL_MS}. */
  stallMs?: number;
}

/**
 * Queues writes and sends them in batches, one batch at a time (see the file comment for
 * stalls). `send` writes a batch and answers one outcome per item, in order; when it throws,
 * every item of the batch fails with that error (and its caller's retry, if any, sends it again).
 */
export class GroupCommit<T> {
  private readonly waiting: Waiting<T>[] = [];
  /** Keys of the writes in flight, stalled batches included. */
  private readonly keysInFlight = new Set<string>();
  /** Batches in flight that have not stalled yet. */
  private active = 0;
  private readonly maxGroup: number;
  private readonly stallMs: number;

  constructor(
    private readonly send: (items: readonly T[]) => Promise<readonly ItemOutcome[]>,
    private readonly keyOf: (item: T) => string,
    options: GroupCommitOptions = {},
  ) {
    this.maxGroup = options.maxGroup ?? MAX_GROUP;
    this.stallMs = options.stallMs ?? STALL_MS;
  }

  /** Writes `item` with the next batch; settles when that batch has answered for it. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, key: this.keyOf(item), resolve, reject });
      if (this.active === 0) this.launch();
    });
  }

  /** Sends the next batch, if any write can leave now. */
  private launch(): void {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    this.active += 1;
    for (const w of batch) this.keysInFlight.add(w.key);
    let stalled = false;
    const stallTimer = setTimeout(() => {
      stalled = true;
      this.active -= 1;
      if (this.active === 0) this.launch();
    }, this.stallMs);
    stallTimer.unref?.();
    void this.sendBatch(batch).finally(() => {
      clearTimeout(stallTimer);
      for (const w of batch) this.keysInFlight.delete(w.key);
      if (!stalled) this.active -= 1;
      if (this.active === 0) this.launch();
    });
  }

  /** Sends `batch` and settles each of its writes with its own outcome; never rejects. */
  private async sendBatch(batch: readonly Waiting<T>[]): Promise<void> {
    let outcomes: readonly ItemOutcome[];
    try {
      outcomes = await this.send(batch.map((w) => w.item));
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined || outcome.ok) w.resolve();
      else w.reject(outcome.error);
    });
  }

  /**
   * Up to `maxGroup` waiting writes in arrival order, at most one per key and none whose key is
   * in flight; the rest wait on.
   */
  private takeBatch(): Waiting<T>[] {
    const batch: Waiting<T>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < this.maxGroup; ) {
      const w = this.waiting[i] as Waiting<T>;
      if (keys.has(w.key) || this.keysInFlight.has(w.key)) {
        i += 1;
        continue;
      }
      keys.add(w.key);
      batch.push(w);
      this.waiting.splice(i, 1);
    }
    return batch;
  }
}

/**
 * The send function of a {@link GroupCommit} over an unordered write: a batch of one goes through
 * `one` (the driver's plain command; its bulk path costs more CPU), a larger batch through
 * `many`, whose per-document errors become per-item outcomes ({@link outcomesFromBulkError}).
 */
export function unorderedSend<T>(
  one: (item: T) => Promise<unknown>,
  many: (items: readonly T[]) => Promise<unknown>,
): (items: readonly T[]) => Promise<ItemOutcome[]> {
  return async (items) => {
    if (items.length === 1) {
      await one(items[0] as T);
      return [{ ok: true }];
    }
    try {
      await many(items);
    } catch (e) {
      return outcomesFromBulkError(e, items.length);
    }
    return items.map(() => ({ ok: true }) as const);
  };
}

const registries = new WeakMap<Db, Map<string, GroupCommit<unknown>>>();

/**
 * The one {@link GroupCommit} of a database object and key (collection and kind of write), made
 * by `create` the first time, so every handle on that collection shares it. Keyed by the `Db`
 * object itself (the connection pool hands out one per database), so a wrapped or fault-injecting
 * `Db` never shares a queue with the plain one.
 */
export function sharedGroupCommit<T>(db: Db, key: string, create: () => GroupCommit<T>): GroupCommit<T> {
  let byKey = registries.get(db);
  if (!byKey) {
    byKey = new Map();
    registries.set(db, byKey);
  }
  let group = byKey.get(key) as GroupCommit<T> | undefined;
  if (!group) {
    group = create();
    byKey.set(key, group as GroupCommit<unknown>);
  }
  return group;
}
