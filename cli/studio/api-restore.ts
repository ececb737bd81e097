/**
 * `POST /api/restore` (only with `--write`): restores a record to a chosen version by appending a
 * new version with actor `studio` and the reason the user typed. It is compare-and-set on the
 * version the user was looking at (`expectedOv`), so when someone wrote meanwhile the answer is a
 * 409 with the current version, shown to the user rather than written over. Restoring the current
 * version or a delete is refused (400): neither gives back data.
 */
import type { RouteContext } from '../../runtime/router/resolve-route.js';
import { StudioHttpError } from './http-io.js';
import { contextFrom } from './route-params.js';
import type { StudioContext } from './studio-context.js';

/** The actor every Studio restore is recorded with. */
const STUDIO_ACTOR = 'studio';

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

/**
 * Refuses the two restores that only look useful: the current version (it would append a copy of
 * itself) and a version that is a delete (it would delete the record again under the name of a
 * restore). The version row says which; no payload is read.
 */
async function refuseMisleading(studio: StudioContext, ctx: RouteContext, request: RestoreRequest): Promise<void> {
  const [current] = (await studio.chronos.admin.versionLog(ctx, request.id, { limit: 1 })).items;
  if (!current) throw new StudioHttpError(404, `no record ${request.id} in ${ctx.collection}`);
  if (current.ov !== request.expectedOv) {
    throw new StudioHttpError(409, `record ${request.id} is at version ${current.ov}, not ${request.expectedOv}: someone wrote meanwhile`, { code: 'CONFLICT', currentOv: current.ov });
  }
  if (request.ov === current.ov) throw new StudioHttpError(400, `version ${request.ov} is the current version: restoring it would only append a copy of it`);
  const [target] = (await studio.chronos.admin.versionLog(ctx, request.id, { beforeOv: request.ov + 1, limit: 1 })).items;
  if (!target || target.ov !== request.ov) throw new StudioHttpError(404, `record ${request.id} has no version ${request.ov}`);
  if (target.deleted) {
    throw new StudioHttpError(400, `version ${request.ov} is a delete: restoring it would delete the record again; restore the version before it to bring the data of that time back`);
  }
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
  const ctx = contextFrom(params);
  await refuseMisleading(studio, ctx, request);
  return studio.chronos.with(ctx).restoreObject(request.id, { ov: request.ov }, STUDIO_ACTOR, request.reason.trim(), { expectedOv: request.expectedOv });
}
