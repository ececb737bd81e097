/**
 * The zod schema of {@link ChronosConfig}: every configuration option of the chronos-db API,
 * with the defaults it states, plus the `messaging`, `identities` and `analytics`
 * sections. Objects are strict, so a misspelt option is an error rather than silently ignored.
 */
import { z } from 'zod';
import { analyticsConfigSchema } from '../analytics/analytics-rules.js';
import { counterRuleSchema } from '../counters/counter-rule.js';
import type { CollectionsInput } from './declared-collections.js';
import { mongoUriProblem } from './mongo-uri.js';
import { writeOptimizationSchema } from './write-optimization.js';
import type { ConfigDatabaseType, TierConfigKeys } from './vocabulary.js';

const nonEmpty = z.string().trim().min(1, { error: 'must be a non-empty string' });

/**
 * A connection string for one MongoDB deployment, parsed by the driver's own parser (see
 * `mongo-uri.ts`). `serverSelectionTimeoutMS` is how long an operation waits for a reachable
 * server before it fails with a transient error (default 5,000; see `connections/mongo-client-options.ts`).
 */
const dbConnectionSchema = z.strictObject({
  mongoUri: nonEmpty.superRefine((uri, ctx) => {
    if (!/^mongodb(\+srv)?:\/\//.test(uri)) {
      ctx.addIssue({ code: 'custom', message: 'must start with mongodb:// or mongodb+srv://' });
      return;
    }
    const problem = mongoUriProblem(uri);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  }),
  serverSelectionTimeoutMS: z.number().int({ error: 'must be a whole number of milliseconds' }).positive({ error: 'must be a positive number of milliseconds' }).optional(),
});

/**
 * Credentials for one object-storage account. `kind` is inferred from the endpoint when absent:
 * `*.blob.core.windows.net` is Azure Blob, everything else S3-compatible. For Azure, `accessKey`
 * is the account name and `secretKey` the account key, as in the chronos-db API.
 */
const spacesConnectionSchema = z.strictObject({
  endpoint: nonEmpty.refine((endpoint) => URL.canParse(endpoint), { error: 'must be an absolute URL' }),
  region: nonEmpty.default('us-east-1'),
  accessKey: nonEmpty,
  secretKey: nonEmpty,
  forcePathStyle: z.boolean().optional(),
  kind: z.enum(['s3', 'azure']).optional(),
});

/** One or several backends: several spread collections over them by `routing.hashAlgo`. */
const connRefs = z.union([nonEmpty, z.array(nonEmpty).min(1, { error: 'must list at least one connection' })]);

/**
 * The first segment of every object key of one database (`<keyPrefix>/<collection>/<id>/...`; a
 * sub-folder of the bucket folder with local storage), so databases can share a bucket without
 * sharing a key. Same alphabet as database names; no `/` or `.`, so it is always one segment.
 */
const keyPrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,63}$/, { error: 'must be 1 to 63 of A-Z a-z 0-9 _ - (one key segment: no "/" or "."), e.g. the dbName' });

const storageFields = {
  dbConnRef: connRefs,
  /** Optional when `localStorage.enabled` (payloads then go to the local folder). */
  spaceConnRef: connRefs.optional(),
  /** Defaults to a name derived from `dbName` when storage is the local folder. */
  bucket: nonEmpty.optional(),
  /** Absent: keys start with the collection (the layout of a bucket that holds one database). */
  keyPrefix: keyPrefixSchema.optional(),
  dbName: nonEmpty,
};

/** The shared database of a databaseType (no tenant or domain). */
const genericDatabaseSchema = z.strictObject({ ...storageFields });

/** A database shared within one domain. */
const domainDatabaseSchema = z.strictObject({ domain: nonEmpty, ...storageFields });

/** A database of one tenant. */
const tenantDatabaseSchema = z.strictObject({ tenantId: nonEmpty, ...storageFields });

/** A runtime database of one tenant, with the tenant's analytics database beside it. */
const runtimeTenantDatabaseSchema = z.strictObject({
  tenantId: nonEmpty,
  ...storageFields,
  analyticsDbName: nonEmpty.optional(),
});

/** The single logs database. */
const logsDatabaseSchema = z.strictObject({ ...storageFields });

/** The keys of a tiered section are the config keys of the type's tiers (`runtime/config/vocabulary.ts`). */
const tieredDatabasesSchema = z.strictObject({
  genericDatabase: genericDatabaseSchema.optional(),
  domainsDatabases: z.array(domainDatabaseSchema).default([]),
  tenantDatabases: z.array(tenantDatabaseSchema).default([]),
} satisfies Record<TierConfigKeys<'metadata' | 'knowledge'>, z.ZodType>);

/** The messaging database: MongoDB only, one database shared by all tenants. */
const messagingDatabaseSchema = z.strictObject({
  dbConnRef: nonEmpty,
  dbName: nonEmpty,
  captureDeliveries: z.boolean().default(false),
});

/** The identities database: MongoDB only, one database, tenant-scoped by `tenantId`. */
const identitiesDatabaseSchema = z.strictObject({ dbConnRef: nonEmpty, dbName: nonEmpty });

const base64PropSchema = z.strictObject({
  contentType: nonEmpty,
  preferredText: z.boolean().optional(),
  textCharset: nonEmpty.optional(),
});

/** Per-collection settings: indexed props, base64 props and validation. */
export const collectionMapSchema = z.strictObject({
  indexedProps: z.array(nonEmpty).default([]),
  base64Props: z.record(z.string(), base64PropSchema).default({}),
  validation: z.strictObject({ requiredIndexed: z.array(nonEmpty).default([]) }).optional(),
});

const positiveInt = z.number().int().positive();

/** The whole configuration accepted by `initChronos`. */
export const chronosConfigSchema = z.strictObject({
  dbConnections: z.record(z.string(), dbConnectionSchema),
  spacesConnections: z.record(z.string(), spacesConnectionSchema).default({}),
  databases: z.strictObject({
    metadata: tieredDatabasesSchema.optional(),
    knowledge: tieredDatabasesSchema.optional(),
    runtime: z
      .strictObject({ tenantDatabases: z.array(runtimeTenantDatabaseSchema).default([]) } satisfies Record<TierConfigKeys<'runtime'>, z.ZodType>)
      .optional(),
    logs: logsDatabaseSchema.optional(),
    messaging: messagingDatabaseSchema.optional(),
    identities: identitiesDatabaseSchema.optional(),
  } satisfies Record<ConfigDatabaseType, z.ZodType>),
  localStorage: z.strictObject({ basePath: nonEmpty, enabled: z.boolean() }).optional(),
  routing: z
    .strictObject({
      hashAlgo: z.enum(['rendezvous', 'jump']).default('rendezvous'),
      chooseKey: z.union([nonEmpty, z.custom<(ctx: Record<string, unknown>) => string>((v) => typeof v === 'function')]).optional(),
    })
    .default({ hashAlgo: 'rendezvous' }),
  retention: z
    .strictObject({
      ver: z.strictObject({ days: positiveInt.optional(), maxPerItem: positiveInt.optional() }).optional(),
      counters: z
        .strictObject({ days: positiveInt.optional(), weeks: positiveInt.optional(), months: positiveInt.optional() })
        .optional(),
    })
    .default({}),
  /**
   * The collection declarations (a list, or the module `chronos generate` wrote): every
   * `collectionMaps` entry, counter rule and write validation of those collections is derived
   * from them. Checked in `parseConfig`.
   */
  collections: z.custom<CollectionsInput>((value) => typeof value === 'object' && value !== null).optional(),
  collectionMaps: z.record(z.string(), collectionMapSchema).default({}),
  counterRules: z.strictObject({ rules: z.array(counterRuleSchema).default([]) }).optional(),
  analytics: analyticsConfigSchema.optional(),
  devShadow: z
    .strictObject({
      enabled: z.boolean(),
      ttlHours: z.number().positive(),
      maxBytesPerDoc: positiveInt.optional(),
    })
    .optional(),
  logicalDelete: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  versioning: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  writeOptimization: writeOptimizationSchema,
  /**
   * Timing of the write protocol (`runtime/ops/write-protocol.md`): `budgetMs`, how long a write
   * without `expectedOv` (and every enrich) keeps retrying when other writers hold the record
   * (default 30 s); `leaseMs`, how long a writer's claim lives without renewal, so how long a
   * writer that died blocks its record (default 5 s); `clockSkewMs`, how far app servers' clocks
   * may disagree (default 1 s).
   */
  writes: z
    .strictObject({
      budgetMs: positiveInt.optional(),
      leaseMs: z.number().int().min(100).optional(),
      clockSkewMs: z.number().int().nonnegative().optional(),
    })
    .default({}),
  fallback: z
    .strictObject({
      enabled: z.boolean(),
      maxRetries: z.number().int().nonnegative().default(3),
      retryDelayMs: positiveInt.default(1000),
      maxDelayMs: positiveInt.default(60_000),
      deadLetterCollection: nonEmpty.default('chronos_fallback_dead'),
    })
    .optional(),
  /**
   * @deprecated Accepted so configurations written for the chronos-db API load unchanged, and
   * otherwise ignored: a commit is a single-document write (the head), so the write protocol
   * uses no multi-document transaction whatever this says.
   */
  transactions: z.strictObject({ enabled: z.boolean().default(true), autoDetect: z.boolean().default(true) }).optional(),
});

/** What callers pass to `initChronos` (defaults may be omitted). */
export type ChronosConfig = z.input<typeof chronosConfigSchema>;

/** The configuration after parsing: defaults filled in. */
export type ParsedChronosConfig = z.output<typeof chronosConfigSchema>;

/** Per-collection settings as configured. */
export type CollectionMapConfig = z.input<typeof collectionMapSchema>;
