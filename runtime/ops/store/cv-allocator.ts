/**
 * Allocates collection versions (`cv`) in blocks. The counter document in `<collection>_counter`
 * hands out blocks of {@link CV_BLOCK_SIZE} numbers with one `$inc`; a process then draws from
 * its block without a round trip, so drawing a cv costs nothing on almost every write. One
 * allocator serves every handle of a process on the same client, database and collection, so
 * within a process cvs are drawn in increasing order.
 *
 * Guarantees: unique per collection (blocks never overlap; the unique index on
 * `<collection>_ver.cv` is the safety net for a server whose `$inc` is not atomic across
 * connections, after which the loser re-syncs past the highest cv in use), and increasing along
 * each record's history (a writer asks for a cv above the head it builds on, and takes a fresh
 * block when its current one is below it). Across processes, cv order is block order, not time
 * order; gaps are allowed (a process that stops leaves the rest of its block unused).
 */
import type { Collection, Db, MongoClient } from 'mongodb';
import type { VersionStore } from './version-store.js';
import { isDuplicateKeyError } from '../../mongo/duplicate-key.js';
import { startRetries } from '../../retry/policy.js';
import { FIRST_UPSERT_RACES } from '../../retry/schedules.js';

interface CounterDoc {
  _id: string;
  value: number;
}

const CV_ID = 'cv';

/** How many cvs one `$inc` reserves. */
export const CV_BLOCK_SIZE = 32;

/** Draws `cv` numbers for one collection. */
export class CvAllocator {
  private next = 1;
  private end = 0;
  private refill: Promise<void> | undefined;

  constructor(
    private readonly counter: Collection<CounterDoc>,
    private readonly ver: VersionStore,
    private readonly blockSize = CV_BLOCK_SIZE,
  ) {}

  /** The next cv, greater than `above` (the cv of the version the write builds on; 0 for a create). */
  async draw(above = 0): Promise<number> {
    for (let refills = 0; ; refills += 1) {
      if (this.next <= above && above < this.end) this.next = above + 1;
      if (this.next <= this.end && this.next > above) {
        const cv = this.next;
        this.next += 1;
        return cv;
      }
      // A fresh block still below `above`: the counter is behind the collection (a non-atomic
      // `$inc` elsewhere, or rows from before it existed). Move it past `above` first.
      if (refills > 0) await this.counter.updateOne({ _id: CV_ID }, { $max: { value: above } }, { upsert: true });
      await this.refillBlock(this.blockSize);
    }
  }

  /**
   * `count` fresh cvs for new records (createMany): what is left of the current block, and the
   * rest from one reservation sized to the need (at least a block), not one per 32.
   */
  async drawMany(count: number): Promise<number[]> {
    const cvs: number[] = [];
    while (cvs.length < count) {
      if (this.next > this.end) {
        await this.refillBlock(Math.max(this.blockSize, count - cvs.length));
        continue;
      }
      cvs.push(this.next);
      this.next += 1;
    }
    return cvs;
  }

  /** After a cv collision: moves the counter past every cv in use and drops the local block. */
  async resync(): Promise<void> {
    const max = await this.ver.maxCv();
    await this.counter.updateOne({ _id: CV_ID }, { $max: { value: max } }, { upsert: true });
    this.end = 0;
  }

  /** A new block of at least `size` cvs; writers that run dry together share one reservation. */
  private refillBlock(size: number): Promise<void> {
    this.refill ??= this.reserve(size).finally(() => {
      this.refill = undefined;
    });
    return this.refill;
  }

  private async reserve(size: number): Promise<void> {
    const tries = startRetries(FIRST_UPSERT_RACES);
    for (;;) {
      try {
        const doc = await this.counter.findOneAndUpdate({ _id: CV_ID }, { $inc: { value: size } }, { upsert: true, returnDocument: 'after' });
        if (!doc) throw new Error('cv counter upsert returned nothing');
        this.next = doc.value - size + 1;
        this.end = doc.value;
        return;
      } catch (e) {
        // Two first-ever upserts raced on a pooled connection; the document exists now.
        if (isDuplicateKeyError(e) && (await tries.next())) continue;
        throw e;
      }
    }
  }
}

const allocators = new WeakMap<MongoClient, Map<string, CvAllocator>>();

/** The allocator of `counterName` in `db`, shared by every handle of this process on the same client and database. */
export function cvAllocatorFor(db: Db, counterName: string, ver: VersionStore): CvAllocator {
  let byName = allocators.get(db.client);
  if (!byName) {
    byName = new Map();
    allocators.set(db.client, byName);
  }
  const key = `${db.databaseName}\u0000${counterName}`;
  let allocator = byName.get(key);
  if (!allocator) {
    allocator = new CvAllocator(db.collection<CounterDoc>(counterName), ver);
    byName.set(key, allocator);
  }
  return allocator;
}
