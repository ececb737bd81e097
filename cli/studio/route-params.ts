/**
 * Reading a collection context and record coordinates from request parameters. The context is
 * only ever passed to `chronos.with(...)`, which resolves it against the config (an unknown
 * tenant, domain or tier is a RouteError), so a request can reach nothing the config does not route.
 */
import type { RouteContext } from '../../runtime/router/resolve-route.js';
import { isVersionedDatabaseType, VERSIONED_DATABASE_TYPES } from '../../runtime/config/vocabulary.js';
import { StudioHttpError } from './http-io.js';

type Params = { get(name: string): string | null };

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new StudioHttpError(400, `missing parameter "${name}"`);
  return value;
}

/** The context named by `databaseType`, `tier`, `tenantId`, `domain` and `collection`. */
export function contextFrom(params: Params): RouteContext {
  const databaseType = required(params, 'databaseType');
  if (!isVersionedDatabaseType(databaseType)) {
    throw new StudioHttpError(400, `databaseType must be one of ${VERSIONED_DATABASE_TYPES.join(', ')}, got ${JSON.stringify(databaseType)}`);
  }
  const tier = params.get('tier');
  const tenantId = params.get('tenantId');
  const domain = params.get('domain');
  return {
    databaseType,
    collection: required(params, 'collection'),
    ...(tier && { tier: tier as RouteContext['tier'] }),
    ...(tenantId && { tenantId }),
    ...(domain && { domain }),
  };
}

/** A non-negative integer parameter (an ov), or undefined when absent. */
export function intParam(params: Params, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new StudioHttpError(400, `parameter "${name}" must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A required non-negative integer parameter. */
export function requiredInt(params: Params, name: string): number {
  const value = intParam(params, name);
  if (value === undefined) throw new StudioHttpError(400, `missing parameter "${name}"`);
  return value;
}

/** The record id parameter. */
export function idFrom(params: Params): string {
  return required(params, 'id');
}

/** A parameter that must be present. */
export function requiredParam(params: Params, name: string): string {
  return required(params, name);
}
