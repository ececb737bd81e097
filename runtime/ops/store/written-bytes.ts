/**
 * The size a version's data takes in object storage, computed the way `PayloadStore.write` lays
 * it out: each base64 prop (a string) becomes a blob of its decoded bytes, and every other prop is
 * serialised into item.json. The document size limit (`maxPayloadBytes`) is measured with this on
 * the very copy that is written, so the limit bounds the stored bytes, not an estimate of them.
 * The engine's own envelope of item.json (`_id`, `_system`: ids, times, notes) is not counted.
 * Compression (`compressionEnabled`) does not raise the limit: it bounds what a read parses.
 */
import type { Base64PropSettings } from '../context.js';

/**
 * UTF-8 bytes of the application data's JSON as it appears in item.json (base64 props left out)
 * plus the decoded bytes of each base64 prop's blob. `data` must be a checked plain copy.
 */
export function writtenBytes(data: Record<string, unknown>, base64Props: Record<string, Base64PropSettings>): number {
  const item: Record<string, unknown> = {};
  let blobs = 0;
  for (const [prop, value] of Object.entries(data)) {
    if (Object.hasOwn(base64Props, prop) && typeof value === 'string') blobs += Buffer.byteLength(value, 'base64');
    else item[prop] = value;
  }
  return Buffer.byteLength(JSON.stringify(item), 'utf8') + blobs;
}
