/**
 * Entry point of the identities database: binds the operations to one database, one tenant and
 * one collection. The router calls it for
 * `chronos.with({ databaseType: 'identities', tenantId, collection })`; nothing here reads config.
 */
import type { Db } from 'mongodb';
import { withChronosErrors } from '../error-boundary.js';
import { ensureIndexesOnce } from '../mongo/ensure-indexes.js';
import { parseInput } from '../validation/parse-input.js';
import { createIdentity } from './create.js';
import { deleteIdentity } from './delete.js';
import type { IdentityContext } from './documents.js';
import { getLatestIdentity } from './get-latest.js';
import { identityIndexes } from './indexes.js';
import { queryIdentities } from './query.js';
import { collectionSchema, identityOptionsSchema, tenantIdSchema } from './schemas.js';
import type { IdentityOps, IdentityOptions } from './types.js';
import { updateIdentity } from './update.js';

const DEFAULT_CLAIM_LEASE_MS = 30_000;

/**
 * Operations on identities collection `collection` of tenant `tenantId` in `db` (the configured
 * `databases.identities` database, shared by all tenants). Every document carries `tenantId`
 * and every query filters on it. Indexes ({@link identityIndexes}) are created on the first
 * write per database per process. Every failure is a ChronosError (driver errors become
 * `DatabaseError`s).
 *
 * @example
 * ```ts
 * const users = createIdentityOps(client.db('chronos_identities'), 'acme', 'users', { indexedProps: ['email'] });
 * const { id, ov } = await users.create({ email: 'ada@acme.test', roles: ['admin'] });
 * await users.update(id, { email: 'ada@acme.test', roles: [] }, ov);
 * const admins = await users.query({ email: { $in: ['ada@acme.test'] } });
 * ```
 */
export function createIdentityOps<T extends object = Record<string, unknown>>(
  db: Db,
  tenantId: string,
  collection: string,
  options: IdentityOptions = {},
): IdentityOps<T> {
  const parsedOptions = parseInput(identityOptionsSchema, options, ['options']);
  const indexedProps = [...new Set(parsedOptions.indexedProps ?? [])].sort();
  const ctx: IdentityContext = {
    db,
    tenantId: parseInput(tenantIdSchema, tenantId, ['tenantId']),
    collection: parseInput(collectionSchema, collection, ['collection']),
    indexedProps,
    claimLeaseMs: parsedOptions.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
    indexesReady: () =>
      ensureIndexesOnce(db, `identities\u0000${collection}\u0000${indexedProps.join('\u0000')}`, () =>
        identityIndexes(collection, indexedProps),
      ),
  };
  const ops: IdentityOps<T> = {
    create: (data, actor, reason, createOptions) => createIdentity(ctx, data, actor, reason, createOptions),
    getLatest: (id) => getLatestIdentity<T>(ctx, id),
    query: (filter, queryOptions) => queryIdentities<T>(ctx, filter, queryOptions),
    update: (id, data, expectedOv, actor, reason) => updateIdentity(ctx, id, data, expectedOv, actor, reason),
    delete: (id, expectedOv, actor, reason) => deleteIdentity(ctx, id, expectedOv, actor, reason),
  };
  return withChronosErrors(ops, { name: (method) => `identities ${collection}.${method}` });
}
