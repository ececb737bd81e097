/**
 * The raw floor: a hand-written versioned store on the bare `mongodb` driver and storage SDK,
 * doing the least Mongo and storage work each operation needs, with none of the engine's
 * validation, claims protocol, counters or lineage. Engine time over floor time is what the
 * engine adds. Each method's TSDoc says exactly which calls the floor makes.
 */
import { ObjectId } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import { deepmerge } from 'deepmerge-ts';
import type { RawBlobs } from './raw-blobs.js';

interface FloorHead {
  _id: string;
  ov: number;
  updatedAt: Date;
  meta: Record<string, unknown>;
}

interface FloorVersion {
  id: string;
  ov: number;
  at: Date;
}

/** A record as the floor returns it: the stored JSON, parsed. */
export type FloorRecord = Record<string, unknown>;

/** What a floor write returns, so the caller can chain the next version. */
export interface FloorWritten {
  id: string;
  ov: number;
  at: Date;
}

const itemKey = (prefix: string, id: string, ov: number): string => `${prefix}/${id}/v${ov}/item.json`;
const parse = (bytes: Uint8Array): FloorRecord => JSON.parse(Buffer.from(bytes).toString('utf8')) as FloorRecord;

/** The floor's versioned store in one database and one bucket. */
export class RawFloor {
  private readonly heads: Collection<FloorHead>;
  private readonly versions: Collection<FloorVersion>;
  private readonly bare: Collection<FloorHead>;

  constructor(
    db: Db,
    private readonly blobs: RawBlobs,
    private readonly indexedProp: string,
  ) {
    this.heads = db.collection<FloorHead>('rec_head');
    this.versions = db.collection<FloorVersion>('rec_ver');
    this.bare = db.collection<FloorHead>('bare');
  }

  /**
   * The indexes a hand-written store needs for these queries: unique (id, ov) so two writers
   * cannot both write one version, (id, at) for time travel, the indexed prop for listing. The
   * engine declares these and a few more; on FerretDB indexes cost writes but serve no reads.
   */
  async prepare(): Promise<void> {
    await this.versions.createIndexes([
      { key: { id: 1, ov: 1 }, name: 'id_ov', unique: true },
      { key: { id: 1, at: -1 }, name: 'id_at' },
    ]);
    await this.heads.createIndex({ [`meta.${this.indexedProp}`]: 1, _id: 1 }, { name: 'meta_prop' });
    await this.bare.createIndex({ [`meta.${this.indexedProp}`]: 1, _id: 1 }, { name: 'meta_prop' });
  }

  private meta(data: Record<string, unknown>): Record<string, unknown> {
    return { [this.indexedProp]: data[this.indexedProp] };
  }

  /** Bare create, the literal floor: PutObject + insertOne of the head, and no version row. */
  async createBare(data: Record<string, unknown>): Promise<FloorWritten> {
    const id = new ObjectId().toHexString();
    const at = new Date();
    await this.blobs.put(itemKey('bare', id, 0), JSON.stringify({ _id: id, ...data, ov: 0 }));
    await this.bare.insertOne({ _id: id, ov: 0, updatedAt: at, meta: this.meta(data) });
    return { id, ov: 0, at };
  }

  /**
   * Versioned create: insertOne of the version row (the unique (id, ov) row is what makes a
   * version exist, and what getVersion / getAsOf find), PutObject, insertOne of the head.
   */
  async create(data: Record<string, unknown>): Promise<FloorWritten> {
    const id = new ObjectId().toHexString();
    const at = new Date();
    await this.versions.insertOne({ id, ov: 0, at });
    await this.blobs.put(itemKey('rec', id, 0), JSON.stringify({ _id: id, ...data, ov: 0 }));
    await this.heads.insertOne({ _id: id, ov: 0, updatedAt: at, meta: this.meta(data) });
    return { id, ov: 0, at };
  }

  /**
   * Versioned update: findOne of the head (to learn the current ov), insertOne of the next
   * version row (unique (id, ov): the loser of a race fails here having written nothing),
   * PutObject, updateOne of the head as a compare-and-set on ov.
   */
  async update(id: string, data: Record<string, unknown>): Promise<FloorWritten> {
    const head = await this.heads.findOne({ _id: id });
    if (!head) throw new Error(`floor: no record ${id}`);
    return this.writeNext(head, data);
  }

  /**
   * Enrich: findOne of the head, GetObject of its payload, deep merge in memory, then as
   * {@link update}: insertOne of the version row, PutObject, updateOne of the head.
   */
  async enrich(id: string, patch: Record<string, unknown>): Promise<FloorWritten> {
    const head = await this.heads.findOne({ _id: id });
    if (!head) throw new Error(`floor: no record ${id}`);
    const { _id: _drop, ov: _ov, ...current } = parse(await this.blobs.get(itemKey('rec', id, head.ov)));
    return this.writeNext(head, deepmerge(current, patch) as Record<string, unknown>);
  }

  private async writeNext(head: FloorHead, data: Record<string, unknown>): Promise<FloorWritten> {
    const ov = head.ov + 1;
    const at = new Date(Math.max(Date.now(), head.updatedAt.getTime() + 1));
    await this.versions.insertOne({ id: head._id, ov, at });
    await this.blobs.put(itemKey('rec', head._id, ov), JSON.stringify({ _id: head._id, ...data, ov }));
    const res = await this.heads.updateOne({ _id: head._id, ov: head.ov }, { $set: { ov, updatedAt: at, meta: this.meta(data) } });
    if (res.modifiedCount !== 1) throw new Error(`floor: lost the race on ${head._id} v${ov}`);
    return { id: head._id, ov, at };
  }

  /** getLatest: findOne of the head by _id, GetObject of its payload. */
  async getLatest(id: string): Promise<FloorRecord | null> {
    const head = await this.heads.findOne({ _id: id });
    return head ? parse(await this.blobs.get(itemKey('rec', id, head.ov))) : null;
  }

  /** getVersion: findOne of the version row by (id, ov), GetObject of its payload. */
  async getVersion(id: string, ov: number): Promise<FloorRecord | null> {
    const row = await this.versions.findOne({ id, ov });
    return row ? parse(await this.blobs.get(itemKey('rec', id, ov))) : null;
  }

  /** getAsOf: findOne of the newest version row at or before `at` (sorted on at), GetObject of its payload. */
  async getAsOf(id: string, at: Date): Promise<FloorRecord | null> {
    const row = await this.versions.findOne({ id, at: { $lte: at } }, { sort: { at: -1 } });
    return row ? parse(await this.blobs.get(itemKey('rec', id, row.ov))) : null;
  }

  /** listByMeta: find on the heads with the filter, sort by _id and limit, then GetObject of every payload in parallel. */
  async list(value: unknown, limit: number): Promise<FloorRecord[]> {
    const heads = await this.heads.find({ [`meta.${this.indexedProp}`]: value }, { sort: { _id: 1 }, limit }).toArray();
    return Promise.all(heads.map(async (h) => parse(await this.blobs.get(itemKey('rec', h._id, h.ov)))));
  }
}
