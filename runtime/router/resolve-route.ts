/**
 * Resolves a context (`databaseType`, `tier`, `tenantId` / `domain`, `collection`) to exactly one
 * Mongo database and one storage location. This is where tenant isolation starts: a context can
 * only ever name a database that the config lists for that tenant, domain or tier.
 */
import { z } from 'zod';
import { RouteError, ValidationError } from '../errors.js';
import { fromZodIssues } from '../validation/zod-issues.js';
import type { ParsedChronosConfig } from '../config/schema.js';
import { chooseBackend } from './hashing.js';
import { bucketOfEntry } from '../storage/bucket-name.js';

/** The versioned database types, reached through `chronos.with(...)`. */
export type DatabaseType = 'metadata' | 'knowledge' | 'runtime' | 'logs' | 'identities';

/** The tiers of the tiered database types. */
export type Tier = 'generic' | 'domain' | 'tenant';

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
  databaseType: z.enum(['metadata', 'knowledge', 'runtime', 'logs', 'identities']),
  tier: z.enum(['generic', 'domain', 'tenant', 'single']).optional(),
  tenantId: z.string().min(1).optional(),
  domain: z.string().min(1).optional(),
  collection: z.string().regex(COLLECTION_NAME, {
    error: 'must start with a letter and hold only letters, digits, _ and - (at most 100 characters)',
  }),
  dbName: z.string().min(1).optional(),
});

interface Entry {
  dbConnRef: string | string[];
  spaceConnRef?: string | string[] | undefined;
  bucket?: string | undefined;
  keyPrefix?: string | undefined;
  dbName: string;
  analyticsDbName?: string | undefined;
}

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

function toRoute(config: ParsedChronosConfig, ctx: RouteContext, tier: ResolvedRoute['tier'], entry: Entry): ResolvedRoute {
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

function known(values: string[]): string {
  return values.length === 0 ? 'none are configured' : `configured: ${values.join(', ')}`;
}

function resolveTiered(config: ParsedChronosConfig, ctx: RouteContext & { databaseType: 'metadata' | 'knowledge' }): ResolvedRoute {
  const tiered = config.databases[ctx.databaseType];
  if (!tiered) throw new RouteError(`databases.${ctx.databaseType} is not configured`);
  switch (ctx.tier) {
    case 'generic':
      if (!tiered.genericDatabase) throw new RouteError(`databases.${ctx.databaseType}.genericDatabase is not configured`);
      return toRoute(config, ctx, 'generic', tiered.genericDatabase);
    case 'domain': {
      if (!ctx.domain) throw new RouteError(`tier "domain" of ${ctx.databaseType} needs a domain (${known(tiered.domainsDatabases.map((d) => d.domain))})`);
      const entry = tiered.domainsDatabases.find((d) => d.domain === ctx.domain);
      if (!entry) throw new RouteError(`unknown domain "${ctx.domain}" for ${ctx.databaseType} (${known(tiered.domainsDatabases.map((d) => d.domain))})`);
      return toRoute(config, ctx, 'domain', entry);
    }
    case 'tenant': {
      if (!ctx.tenantId) throw new RouteError(`tier "tenant" of ${ctx.databaseType} needs a tenantId (${known(tiered.tenantDatabases.map((d) => d.tenantId))})`);
      const entry = tiered.tenantDatabases.find((d) => d.tenantId === ctx.tenantId);
      if (!entry) throw new RouteError(`unknown tenant "${ctx.tenantId}" for ${ctx.databaseType} (${known(tiered.tenantDatabases.map((d) => d.tenantId))})`);
      return toRoute(config, ctx, 'tenant', entry);
    }
    default:
      throw new RouteError(`${ctx.databaseType} needs a tier: generic, domain or tenant${ctx.tier === 'single' ? ' (it has no single database)' : ''}`);
  }
}

function resolveRuntime(config: ParsedChronosConfig, ctx: RouteContext): ResolvedRoute {
  const runtime = config.databases.runtime;
  if (!runtime) throw new RouteError('databases.runtime is not configured');
  if (ctx.tier !== undefined && ctx.tier !== 'tenant') throw new RouteError(`runtime data is tenant-only; tier "${ctx.tier}" does not exist for runtime`);
  const tenants = runtime.tenantDatabases.map((d) => d.tenantId);
  if (!ctx.tenantId) throw new RouteError(`runtime needs a tenantId (${known(tenants)})`);
  const entry = runtime.tenantDatabases.find((d) => d.tenantId === ctx.tenantId);
  if (!entry) throw new RouteError(`unknown tenant "${ctx.tenantId}" for runtime (${known(tenants)})`);
  return toRoute(config, ctx, 'tenant', entry);
}

function resolveSingle(config: ParsedChronosConfig, ctx: RouteContext): ResolvedRoute {
  if (ctx.tier !== undefined && ctx.tier !== 'single') {
    throw new RouteError(`${ctx.databaseType} has one database; tier "${ctx.tier}" does not exist for it (use "single" or omit tier)`);
  }
  if (ctx.databaseType === 'logs') {
    const logs = config.databases.logs;
    if (!logs) throw new RouteError('databases.logs is not configured');
    return toRoute(config, ctx, 'single', logs);
  }
  const identities = config.databases.identities;
  if (!identities) throw new RouteError('databases.identities is not configured');
  if (!ctx.tenantId) throw new RouteError('identities are tenant-scoped: pass a tenantId');
  return toRoute(config, ctx, 'single', identities);
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
  let route: ResolvedRoute;
  switch (ctx.databaseType) {
    case 'metadata':
    case 'knowledge':
      route = resolveTiered(config, ctx as RouteContext & { databaseType: 'metadata' | 'knowledge' });
      break;
    case 'runtime':
      route = resolveRuntime(config, ctx);
      break;
    default:
      route = resolveSingle(config, ctx);
  }
  if (ctx.dbName !== undefined && ctx.dbName !== route.mongo.dbName) {
    throw new RouteError(`dbName "${ctx.dbName}" is not the database this context resolves to ("${route.mongo.dbName}"); omit dbName`);
  }
  return route;
}
