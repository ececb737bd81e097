/**
 * The size a version's data takes in object storage, computed from the same split that
 * `PayloadStore.write` lays it out by ({@link splitBlobProps}): each base64 prop (a string) becomes a blob of its decoded bytes, and every other prop is
 * serialised into item.json. The document size limit (`maxPayloadBytes`) is measured with this on
 * the very copy that is written, so the limit bounds the stored bytes, not an estimate of them.
 * The engine's own envelope of item.json (`_id`, `_system`: ids, times, notes) is not counted.
 * Compression (`compressionEnabled`) does not raise the limit: it bounds what a read parses.
 */
import type { Base64PropSettings } from '../context.js';

/**
 * Application data as object storage holds it: each base64 prop given as a string goes to a blob
 * file of its own, every other prop stays in item.json. `PayloadStore.write` lays a version out by
 * this split, and {@link writtenBytes} measures it, so the two cannot disagree.
 */
export function splitBlobProps(data: Record<string, unknown>, base64Props: Record<string, Base64PropSettings>): { item: Record<string, unknown>; blobs: Array<[prop: string, base64: string]> } {
  const item: Record<string, unknown> = {};
  const blobs: Array<[string, string]> = [];
  for (const [prop, value] of Object.entries(data)) {
    if (Object.hasOwn(base64Props, prop) && typeof value === 'string') blobs.push([prop, value]);
    else item[prop] = value;
  }
  return { item, blobs };
}

/**
 * UTF-8 bytes of the application data's JSON as it appears in item.json (base64 props left out)
 * plus the decoded bytes of each base64 prop's blob. `data` must be a checked plain copy.
 */
export function writtenBytes(data: Record<string, unknown>, base64Props: Record<string, Base64PropSettings>): number {
  const { item, blobs } = splitBlobProps(data, base64Props);
  return Buffer.byteLength(JSON.stringify(item), 'utf8') + blobs.reduce((sum, [, value]) => sum + Buffer.byteLength(value, 'base64'), 0);
}
