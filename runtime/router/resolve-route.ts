/**
 * Resolves a context (`databaseType`, `tier`, `tenantId` / `domain`, `collection`) to exactly one
 * Mongo database and one storage location. This is where tenant isolation starts: a context can
 * only ever name a database that the config lists for that tenant, domain or tier.
 */
import { z } from 'zod';
import { RouteError, ValidationError } from '../errors.js';
import { fromZodIssues } from '../validation/zod-issues.js';
import type { ParsedChronosConfig } from '../config/schema.js';
import { eachDatabase, type DatabaseSettings } from '../config/each-database.js';
import {
  ALL_TIERS,
  DATABASE_VOCABULARY,
  ROUTED_DATABASE_TYPES,
  TIER_VOCABULARY,
  orList,
  type AnyTier,
  type DatabaseTypesWhere,
  type ScopedTier,
} from '../config/vocabulary.js';
import { chooseBackend } from './hashing.js';
import { bucketOfEntry } from '../storage/bucket-name.js';

/** The database types reached through `chronos.with(...)`: the versioned ones and identities. */
export type DatabaseType = DatabaseTypesWhere<'routed'>;

/** The tiers of the tiered database types. */
export type Tier = ScopedTier;

/** What a context may name as its tier: one of the {@link Tier}s, or `single` for the one-database types (logs, identities). */
export type ContextTier = Tier | 'single';

/** What `chronos.with(...)` takes. */
export interface RouteContext {
  databaseType: DatabaseType;
  /** Required for metadata and knowledge; runtime is always `tenant`; logs and identities have one database (`single`, or omit it). */
  tier?: ContextTier;
  tenantId?: string;
  domain?: string;
  collection: string;
  /** Accepted only when it equals the database the context resolves to (older examples pass it). */
  dbName?: string;
}

/** Where a context's payloads go; `keyPrefix` is the database's first key segment when configured. */
export type StorageTarget =
  | { kind: 'local'; bucket: string; keyPrefix?: string }
  | { kind: 'space'; connRef: string; bucket: string; keyPrefix?: string }
  | { kind: 'none' };

/** The one database and storage location a context resolves to. */
export interface ResolvedRoute {
  databaseType: DatabaseType;
  tier: Tier | 'single';
  tenantId?: string;
  domain?: string;
  collection: string;
  mongo: { connRef: string; uri: string; dbName: string };
  storage: StorageTarget;
  /** The tenant's analytics database (runtime tier only). */
  analyticsDbName?: string;
}

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;

const routeContextSchema = z.strictObject({
  databaseType: z.enum(ROUTED_DATABASE_TYPES),
  tier: z.enum(ALL_TIERS).optional(),
  tenantId: z.string().min(1).optional(),
  domain: z.string().min(1).optional(),
  collection: z.string().regex(COLLECTION_NAME, {
    error: 'must start with a letter and hold only letters, digits, _ and - (at most 100 characters)',
  }),
  dbName: z.string().min(1).optional(),
});

function list(refs: string | string[]): string[] {
  return Array.isArray(refs) ? refs : [refs];
}

function routingKey(config: ParsedChronosConfig, ctx: RouteContext): string {
  const choose = config.routing.chooseKey;
  if (typeof choose === 'function') return choose({ ...ctx });
  if (typeof choose === 'string') {
    return choose
      .split('|')
      .map((field) => String((ctx as unknown as Record<string, unknown>)[field] ?? ''))
      .join('|');
  }
  return [ctx.databaseType, ctx.tier ?? '', ctx.tenantId ?? ctx.domain ?? '', ctx.collection].join('|');
}

function toRoute(config: ParsedChronosConfig, ctx: RouteContext, tier: ResolvedRoute['tier'], entry: DatabaseSettings): ResolvedRoute {
  const key = routingKey(config, ctx);
  const algo = config.routing.hashAlgo;
  const dbRefs = list(entry.dbConnRef);
  const connRef = dbRefs[chooseBackend(algo, key, dbRefs)] as string;
  const uri = config.dbConnections[connRef]?.mongoUri as string;
  const bucket = bucketOfEntry(entry);
  const prefix = entry.keyPrefix === undefined ? {} : { keyPrefix: entry.keyPrefix };
  let storage: StorageTarget;
  if (config.localStorage?.enabled) {
    storage = { kind: 'local', bucket, ...prefix };
  } else if (entry.spaceConnRef !== undefined) {
    const spaceRefs = list(entry.spaceConnRef);
    storage = { kind: 'space', connRef: spaceRefs[chooseBackend(algo, key, spaceRefs)] as string, bucket, ...prefix };
  } else {
    storage = { kind: 'none' };
  }
  const route: ResolvedRoute = {
    databaseType: ctx.databaseType,
    tier,
    collection: ctx.collection,
    mongo: { connRef, uri, dbName: entry.dbName },
    storage,
  };
  if (ctx.tenantId !== undefined && tier !== 'generic' && tier !== 'domain') route.tenantId = ctx.tenantId;
  if (ctx.domain !== undefined && tier === 'domain') route.domain = ctx.domain;
  if (entry.analyticsDbName !== undefined) route.analyticsDbName = entry.analyticsDbName;
  return route;
}

function known(values: Array<string | undefined>): string {
  return values.length === 0 ? 'none are configured' : `configured: ${values.join(', ')}`;
}

/** The tier a context reaches in its database type: the one it names, or the only one the type has. */
function tierOf(ctx: RouteContext): AnyTier {
  const type = ctx.databaseType;
  const tiers: readonly AnyTier[] = DATABASE_VOCABULARY[type].tiers;
  const only = tiers.length === 1 ? (tiers[0] as AnyTier) : undefined;
  if (only === undefined) {
    if (ctx.tier !== undefined && tiers.includes(ctx.tier)) return ctx.tier;
    throw new RouteError(`${type} needs a tier: ${orList(tiers)}${ctx.tier === 'single' ? ' (it has no single database)' : ''}`);
  }
  if (ctx.tier === undefined || ctx.tier === only) return only;
  if (only === 'single') throw new RouteError(`${type} has one database; tier "${ctx.tier}" does not exist for it (use "single" or omit tier)`);
  throw new RouteError(`${type} data is ${only}-only; tier "${ctx.tier}" does not exist for ${type}`);
}

/** The configured database a context names, found by the config walk; a RouteError listing what is configured when none is. */
function entryOf(config: ParsedChronosConfig, ctx: RouteContext, tier: AnyTier): DatabaseSettings {
  const type = ctx.databaseType;
  if (config.databases[type] === undefined) throw new RouteError(`databases.${type} is not configured`);
  const candidates = [...eachDatabase(config, type)].filter((db) => db.tier === tier);
  const { scopeKey, configKey } = TIER_VOCABULARY[tier];
  if (scopeKey === null) {
    const entry = candidates[0];
    if (!entry) throw new RouteError(`databases.${type}.${configKey} is not configured`);
    if (DATABASE_VOCABULARY[type].tenantScoped && !ctx.tenantId) throw new RouteError(`${type} are tenant-scoped: pass a tenantId`);
    return entry.settings;
  }
  const scope = ctx[scopeKey];
  const configuredScopes = known(candidates.map((db) => db[scopeKey]));
  if (!scope) {
    const who = DATABASE_VOCABULARY[type].tiers.length === 1 ? type : `tier "${tier}" of ${type}`;
    throw new RouteError(`${who} needs a ${scopeKey} (${configuredScopes})`);
  }
  const entry = candidates.find((db) => db[scopeKey] === scope);
  if (!entry) throw new RouteError(`unknown ${tier} "${scope}" for ${type} (${configuredScopes})`);
  return entry.settings;
}

/**
 * Resolves a context to its database and storage.
 *
 * @throws {@link ValidationError} when the context is malformed, {@link RouteError} when it names
 *   a tenant, domain, tier or database that is not configured (the message lists what is).
 */
export function resolveRoute(config: ParsedChronosConfig, input: RouteContext): ResolvedRoute {
  const parsed = routeContextSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      fromZodIssues(parsed.error.issues),
      'Invalid context for chronos.with()',
    );
  }
  const ctx = parsed.data as RouteContext;
  const tier = tierOf(ctx);
  const route = toRoute(config, ctx, tier, entryOf(config, ctx, tier));
  if (ctx.dbName !== undefined && ctx.dbName !== route.mongo.dbName) {
    throw new RouteError(`dbName "${ctx.dbName}" is not the database this context resolves to ("${route.mongo.dbName}"); omit dbName`);
  }
  return route;
}
