/**
 * Version payloads in object storage: `<collection>/<id>/v<ov>/item.json`, and each base64 prop
 * decoded to `<collection>/<id>/v<ov>/<prop>/blob.bin` (or `text.txt`) with a reference left in
 * item.json. Only the writer that has claimed `(id, ov)` writes under that version's prefix (see
 * `write-protocol.md`); blobs are written before item.json, so an item.json that parses implies
 * its blobs are in place.
 *
 * A database configured with a `keyPrefix` (one of several sharing a bucket) has every key under
 * `<keyPrefix>/`: the store is wrapped once here ({@link withKeyPrefix}), so every key this class
 * builds, lists, deletes or parses is relative to the prefix, and none can leave it.
 */
import type { ObjectStore } from '../../storage/object-store.js';
import { listAllKeys } from '../../storage/list-all-keys.js';
import { withKeyPrefix } from '../../storage/key-prefixed-store.js';
import type { Base64PropSettings } from '../context.js';
import type { SystemFields } from '../types.js';
import { isChronosError } from '../../errors.js';
import type { PayloadCompression } from './payload-codec.js';
import { NO_COMPRESSION, decodeItem, encodeItem } from './payload-codec.js';
import { splitBlobProps } from './written-bytes.js';

/**
 * Where a base64 prop of a version went: its file beside item.json. Kept in item.json under
 * `_system.blobs.<prop>`, never inside the application data, so no value a caller stores can be
 * mistaken for one (see `write-protocol.md`).
 */
export interface BlobRef {
  file: 'blob.bin' | 'text.txt';
  contentType: string;
  size: number;
}

/** The in-band form item.json used before blob references moved to `_system.blobs`; read for configured base64 props only. */
interface LegacyBlobRef {
  $chronosBlob: BlobRef;
}

/** The parsed content of an item.json. */
export interface StoredItem {
  _id: string;
  _system: SystemFields;
  [prop: string]: unknown;
}

/** How base64 props come back from a read. */
export interface InlineOptions {
  /** Give each base64 prop as a presigned GET URL (a string) instead of its base64 content. */
  presign?: boolean;
  ttlSeconds?: number;
}

/** Reads and writes the payloads of one collection in one bucket (under the database's key prefix, if any). */
export class PayloadStore {
  private readonly store: ObjectStore;

  /** `keyPrefix`: the database's `keyPrefix` from the config; undefined for the unprefixed layout. */
  constructor(
    store: ObjectStore,
    private readonly bucket: string,
    private readonly collection: string,
    private readonly base64Props: Record<string, Base64PropSettings>,
    private readonly compression: PayloadCompression = NO_COMPRESSION,
    keyPrefix?: string,
  ) {
    this.store = withKeyPrefix(store, keyPrefix);
  }

  /** Key prefix of every object of record `id` (used by hard delete and the reconciler); like every key here, relative to the database's key prefix. */
  recordPrefix(id: string): string {
    return `${this.collection}/${id}/`;
  }

  /** Key prefix of one version. */
  versionPrefix(id: string, ov: number): string {
    return `${this.collection}/${id}/v${ov}/`;
  }

  /** The key of a version's item.json. */
  itemKey(id: string, ov: number): string {
    return `${this.versionPrefix(id, ov)}item.json`;
  }

  /**
   * Writes one version: blobs first, item.json last. `data` is application data with base64
   * props inline (already validated as base64). item.json is gzipped when compression is on and
   * it is over the threshold (see `payload-codec.ts`); the key stays the same. Returns item.json
   * as JSON text (before compression), which the dev shadow keeps.
   *
   * `claim` is the token of the claim this write holds; item.json keeps it (`_system.claim`, never
   * returned by reads) so a settler can tell this claim's payload from one an earlier, rolled-back
   * claim on the same version left behind ({@link isComplete}).
   */
  async write(id: string, system: SystemFields, data: Record<string, unknown>, claim: string): Promise<string> {
    const prefix = this.versionPrefix(id, system.ov);
    const { item, blobs: blobProps } = splitBlobProps(data, this.base64Props);
    const doc: Record<string, unknown> = { _id: id, ...item };
    const refs: Record<string, BlobRef> = {};
    const blobs: Promise<void>[] = [];
    for (const [prop, value] of blobProps) {
      const settings = this.base64Props[prop] as Base64PropSettings;
      const bytes = Buffer.from(value, 'base64');
      const file = settings.preferredText ? 'text.txt' : 'blob.bin';
      const contentType = settings.preferredText
        ? `text/plain; charset=${settings.textCharset ?? 'utf-8'}`
        : settings.contentType;
      blobs.push(this.store.put(this.bucket, `${prefix}${prop}/${file}`, bytes, { contentType }));
      refs[prop] = { file, contentType, size: bytes.length };
    }
    await Promise.all(blobs);
    doc._system = Object.keys(refs).length > 0 ? { ...system, claim, blobs: refs } : { ...system, claim };
    const json = JSON.stringify(doc);
    const { body } = await encodeItem(json, this.compression);
    await this.store.put(this.bucket, `${prefix}item.json`, body, { contentType: 'application/json' });
    return json;
  }

  /**
   * Reads item.json of a version as stored (blob references not resolved), gunzipping it when it
   * was compressed. Throws NotFoundError when absent, SyntaxError when it does not parse.
   */
  async readItem(id: string, ov: number): Promise<StoredItem> {
    const bytes = await this.store.get(this.bucket, this.itemKey(id, ov));
    return (await decodeItem(bytes)) as StoredItem;
  }

  /**
   * The application data of a version with base64 props re-inlined (or presigned), without
   * `_id` and `_system`.
   */
  async readData(id: string, ov: number, options: InlineOptions = {}): Promise<Record<string, unknown>> {
    return this.inlineBlobs(id, ov, await this.readItem(id, ov), options);
  }

  /**
   * The application data of an already-read item with its blob references resolved: base64
   * content (one GET per blob) or presigned URLs. Used by {@link readData} and by reads that got
   * the item from somewhere other than storage (the dev shadow).
   */
  async inlineBlobs(id: string, ov: number, item: StoredItem, options: InlineOptions = {}): Promise<Record<string, unknown>> {
    const { _id: _ignoredId, _system: _ignoredSystem, ...data } = item;
    const prefix = this.versionPrefix(id, ov);
    await Promise.all(
      Object.entries(this.blobRefs(item)).map(async ([prop, ref]) => {
        const key = `${prefix}${prop}/${ref.file}`;
        data[prop] = options.presign
          ? await this.store.presignGet(this.bucket, key, options.ttlSeconds ?? 3600)
          : Buffer.from(await this.store.get(this.bucket, key)).toString('base64');
      }),
    );
    return data;
  }

  /**
   * True when the version's item.json exists, parses, names this id and ov, was written under
   * `holder`'s claim, and every blob it references exists: the settler's test for rolling a
   * pending version forward. A rolled-back claim's payload may still lie under the same key (a
   * settler only releases the row, see `write-protocol.md`), so the claim token decides; an
   * item.json written before it carried one is matched by its `cv`, unique per claim.
   */
  async isComplete(id: string, ov: number, holder: { claim: string; cv: number }): Promise<boolean> {
    let item: StoredItem;
    try {
      item = await this.readItem(id, ov);
    } catch (e) {
      if (e instanceof SyntaxError || (isChronosError(e) && e.code === 'NOT_FOUND')) return false;
      throw e;
    }
    if (item._id !== id || item._system?.ov !== ov) return false;
    const written = item._system as SystemFields & { claim?: string };
    if (written.claim !== undefined ? written.claim !== holder.claim : written.cv !== holder.cv) return false;
    const prefix = this.versionPrefix(id, ov);
    for (const [prop, ref] of Object.entries(this.blobRefs(item))) {
      if (!(await this.store.head(this.bucket, `${prefix}${prop}/${ref.file}`))) return false;
    }
    return true;
  }

  /**
   * The blob references of an item: `_system.blobs`, or, in an item.json written before they
   * moved there, the in-band form in a prop that is configured as base64 (a base64 prop only
   * ever holds a base64 string from callers, so the in-band form there can only be ours).
   */
  private blobRefs(item: StoredItem): Record<string, BlobRef> {
    const system = item._system as (SystemFields & { blobs?: Record<string, BlobRef> }) | undefined;
    if (system?.blobs) return system.blobs;
    const legacy: Record<string, BlobRef> = {};
    for (const prop of Object.keys(this.base64Props)) {
      const value = item[prop];
      if (isLegacyBlobRef(value)) legacy[prop] = value.$chronosBlob;
    }
    return legacy;
  }

  /** Removes every object of one version (missing ones are fine). */
  async deleteVersion(id: string, ov: number): Promise<void> {
    await this.deletePrefix(this.versionPrefix(id, ov));
  }

  /** Removes every object under a prefix. */
  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.listKeys(prefix);
    if (keys.length > 0) await this.store.deleteMany(this.bucket, keys);
  }

  /** Every key under a prefix, across pages. */
  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of listAllKeys(this.store, this.bucket, { prefix })) keys.push(key);
    return keys;
  }

  /** Parses `<collection>/<id>/v<ov>/...` into its id and ov, or null for a foreign key. */
  parseKey(key: string): { id: string; ov: number } | null {
    const m = /^([^/]+)\/([^/]+)\/v(\d+)\//.exec(key);
    if (!m || m[1] !== this.collection) return null;
    return { id: m[2] as string, ov: Number(m[3]) };
  }
}

function isLegacyBlobRef(value: unknown): value is LegacyBlobRef {
  return typeof value === 'object' && value !== null && '$chronosBlob' in value;
}

