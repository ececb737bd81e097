/**
 * The dev shadow (`devShadow` in the config): a copy of the latest version's item.json kept in
 * the head document, so `getLatest` is one Mongo lookup and no object-storage GET.
 *
 * - It is written by the same `updateOne` that moves the head (`HeadStore.moveTo`), and every
 *   head move without one removes it, so a shadow can never belong to another version than its
 *   head; reads also check `shadow.ov === head.ov`.
 * - It holds item.json exactly as stored (uncompressed JSON text, `_system` included, base64
 *   props as blob references): a read parses it and resolves blob references as a storage read
 *   would (a presigned URL needs no GET; inline base64 still GETs each blob, but not item.json).
 *   Kept as a string, not a BSON object, so blob references (`$chronosBlob`) and keys with dots
 *   need no escaping and its size is the size that is bounded.
 * - Expiry does not use a TTL index (FerretDB has none): the shadow carries its time and a read
 *   of one older than `ttlHours` ignores it and reads storage.
 * - A document whose item.json is over `maxBytesPerDoc` gets no shadow (reads go to storage).
 */

/** Engine form of the `devShadow` config. */
export interface DevShadowSettings {
  /** Age after which a shadow is ignored (ms; `ttlHours` × 3,600,000). */
  ttlMs: number;
  /** Largest item.json (UTF-8 bytes) kept as a shadow; see {@link DEFAULT_SHADOW_MAX_BYTES}. */
  maxBytesPerDoc: number;
}

/**
 * Default bound: 256 KiB. A head is read on every write and every `listByMeta` page is
 * projected without it, but each head read still carries it, and Mongo documents stop at 16 MiB;
 * 256 KiB keeps heads small while covering ordinary records.
 */
export const DEFAULT_SHADOW_MAX_BYTES = 256 * 1024;

/** What the head carries under `shadow`. */
export interface HeadShadow {
  /** The version the shadow is a copy of (always the head's own ov). */
  ov: number;
  /** When it was written (engine clock); its age decides expiry. */
  at: Date;
  /** item.json of that version, as stored before compression. */
  json: string;
}

/** The `devShadow` config mapped to settings; null when absent or disabled. */
export function devShadowSettings(config: { enabled: boolean; ttlHours: number; maxBytesPerDoc?: number | undefined } | undefined): DevShadowSettings | null {
  if (!config?.enabled) return null;
  return { ttlMs: config.ttlHours * 3_600_000, maxBytesPerDoc: config.maxBytesPerDoc ?? DEFAULT_SHADOW_MAX_BYTES };
}

/** The shadow to store with version `ov`, or undefined when shadows are off or the item is over the bound. */
export function shadowFor(settings: DevShadowSettings | null, ov: number, json: string, now: Date): HeadShadow | undefined {
  if (!settings || Buffer.byteLength(json, 'utf8') > settings.maxBytesPerDoc) return undefined;
  return { ov, at: now, json };
}

/** The shadow's item when it is usable for head `ov` now: same version and younger than the ttl; otherwise undefined. */
export function usableShadow(settings: DevShadowSettings | null, headOv: number, shadow: HeadShadow | undefined, now: Date): string | undefined {
  if (!settings || !shadow || shadow.ov !== headOv) return undefined;
  if (now.getTime() - shadow.at.getTime() > settings.ttlMs) return undefined;
  return shadow.json;
}
