/**
 * `POST /api/restore` (only with `--write`): restores a record to a chosen version by appending a
 * new version with actor `studio` and the reason the user typed. It is compare-and-set on the
 * version the user was looking at (`expectedOv`), so when someone wrote meanwhile the answer is a
 * 409 with the current version, shown to the user rather than written over.
 */
import { StudioHttpError } from './http-io.js';
import { contextFrom } from './route-params.js';
import type { StudioContext } from './studio-context.js';

/** The actor every Studio restore is recorded with. */
export const STUDIO_ACTOR = 'studio';

/** The body of a restore request. */
export interface RestoreRequest {
  databaseType: string;
  tier?: string;
  tenantId?: string;
  domain?: string;
  collection: string;
  id: string;
  /** The version to restore. */
  ov: number;
  /** The record's latest version as the user saw it; the restore fails with 409 if it moved. */
  expectedOv: number;
  /** Why; required, stored on the new version. */
  reason: string;
}

function isNonNegativeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function checkBody(body: unknown): RestoreRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new StudioHttpError(400, 'expected a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.id !== 'string') throw new StudioHttpError(400, '"id" must be a string');
  if (!isNonNegativeInt(b.ov)) throw new StudioHttpError(400, '"ov" must be the version to restore (a non-negative integer)');
  if (!isNonNegativeInt(b.expectedOv)) throw new StudioHttpError(400, '"expectedOv" must be the latest version you saw (a non-negative integer)');
  if (typeof b.reason !== 'string' || b.reason.trim() === '') throw new StudioHttpError(400, 'type a reason for the restore');
  return b as unknown as RestoreRequest;
}

/** Restores the version and answers with the new version's `{ id, ov, cv, updatedAt }`. */
export async function restoreVersion(studio: StudioContext, body: unknown): Promise<unknown> {
  if (!studio.write) throw new StudioHttpError(403, 'the Studio is read-only: start it with --write to restore');
  const request = checkBody(body);
  const params = new URLSearchParams();
  for (const key of ['databaseType', 'tier', 'tenantId', 'domain', 'collection'] as const) {
    const value = (request as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string') params.set(key, value);
  }
  const ops = studio.chronos.with(contextFrom(params));
  return ops.restoreObject(request.id, { ov: request.ov }, STUDIO_ACTOR, request.reason.trim(), { expectedOv: request.expectedOv });
}
