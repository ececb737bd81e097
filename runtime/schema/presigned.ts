/**
 * The types of a read that asks for presigned URLs (`{ presign: true }`): each base64 prop then
 * holds a URL to GET the content from, not the content, and is typed so it cannot be passed
 * where base64 text is expected.
 */
import type { ReadOptions } from '../ops/types.js';

declare const PRESIGNED: unique symbol;

/** A presigned GET URL of a base64 prop's content (a string at run time). */
export type PresignedUrl = string & { readonly [PRESIGNED]: true };

/** Read options of a read that returns presigned URLs in place of base64 content. */
export type PresignedReadOptions = ReadOptions & { presign: true };
