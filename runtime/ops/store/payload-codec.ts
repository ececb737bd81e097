/**
 * How item.json is stored: plain JSON, or gzip when `writeOptimization.compressionEnabled` is on
 * and the JSON is larger than the threshold. A reader tells them apart by the first two bytes:
 * gzip starts with 0x1f 0x8b, and a JSON document never does (it starts with `{`; 0x1f is a
 * control character JSON does not even allow as whitespace). So the key layout stays the same,
 * versions written before compression was switched on keep reading, and every reader (reads,
 * the reconciler's completeness check, retention) needs only the stored bytes, not a flag kept
 * in Mongo that could disagree with them.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Whether and from which size item.json is gzipped. */
export interface PayloadCompression {
  enabled: boolean;
  /** Smallest JSON (UTF-8 bytes) that is compressed; smaller payloads gain little and cost CPU. */
  minBytes: number;
}

/**
 * Default threshold: 1 KiB. Below it gzip's 18-byte framing and the CPU time buy almost nothing
 * (typical small records shrink by a few hundred bytes at most), above it JSON usually shrinks
 * to a third or less.
 */
export const DEFAULT_COMPRESSION_MIN_BYTES = 1024;

/** Compression off (the default: payloads stay readable with any S3 browser). */
export const NO_COMPRESSION: PayloadCompression = { enabled: false, minBytes: DEFAULT_COMPRESSION_MIN_BYTES };

/** The bytes to store for one item.json and whether they are gzip. */
export async function encodeItem(json: string, compression: PayloadCompression): Promise<{ body: Uint8Array | string; gzipped: boolean }> {
  if (!compression.enabled || Buffer.byteLength(json, 'utf8') <= compression.minBytes) return { body: json, gzipped: false };
  return { body: await gzipAsync(Buffer.from(json, 'utf8')), gzipped: true };
}

/** True when stored bytes are gzip (magic bytes 0x1f 0x8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses stored item.json bytes, gzipped or not. A truncated or corrupt gzip stream is reported
 * as a SyntaxError, like unparsable JSON, so "payload exists and parses" has one failure type.
 */
export async function decodeItem(bytes: Uint8Array): Promise<unknown> {
  let text: string;
  if (isGzip(bytes)) {
    try {
      text = (await gunzipAsync(bytes)).toString('utf8');
    } catch (e) {
      throw new SyntaxError(`item.json is not a valid gzip stream: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  } else {
    text = Buffer.from(bytes).toString('utf8');
  }
  return JSON.parse(text);
}
