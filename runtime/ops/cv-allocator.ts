/**
 * Allocates collection versions (`cv`). The counter document in `<collection>_counter` is the fast
 * path; the unique index on `<collection>_ver.cv` is the safety net: on a server whose `$inc` is
 * not atomic across connections (FerretDB with a connection pool), two writers can get the same
 * number, one row insert then fails on the cv index, and the loser re-syncs the counter past the
 * highest cv in use and draws again. `cv` values are unique and increasing; gaps are allowed
 * (a writer that crashes or loses its claim burns its number).
 */
import type { Collection, Db } from 'mongodb';
import type { VersionRow } from './version-index.js';
import { isDuplicateKey } from './head-store.js';

interface CounterDoc {
  _id: string;
  value: number;
}

const CV_ID = 'cv';

/** Draws `cv` numbers for one collection. */
export class CvAllocator {
  private readonly counter: Collection<CounterDoc>;
  private readonly ver: Collection<VersionRow>;

  constructor(db: Db, counterName: string, verName: string) {
    this.counter = db.collection<CounterDoc>(counterName);
    this.ver = db.collection<VersionRow>(verName);
  }

  /** The next cv (the first is 1). */
  async next(): Promise<number> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const doc = await this.counter.findOneAndUpdate(
          { _id: CV_ID },
          { $inc: { value: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!doc) throw new Error('cv counter upsert returned nothing');
        return doc.value;
      } catch (e) {
        // Two first-ever upserts raced on a pooled connection; the document exists now.
        if (isDuplicateKey(e) && attempt < 3) continue;
        throw e;
      }
    }
  }

  /** After a cv collision: moves the counter past every cv already used, so the next draw is fresh. */
  async resync(): Promise<void> {
    const top = await this.ver.find({}, { sort: { cv: -1 }, limit: 1, projection: { cv: 1 } }).toArray();
    const max = top[0]?.cv ?? 0;
    await this.counter.updateOne({ _id: CV_ID }, { $max: { value: max } }, { upsert: true });
  }

  /** The highest cv handed out so far (0 before the first write). */
  async current(): Promise<number> {
    const doc = await this.counter.findOne({ _id: CV_ID });
    return doc?.value ?? 0;
  }
}
