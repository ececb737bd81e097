/**
 * Scheduled analytics rules (`chronos.analytics`): an external worker calls these on its own
 * schedule; each run aggregates on the server over the engine's head collections and stores one
 * result document in the tenant's analytics database.
 */
import type { Db, Document } from 'mongodb';
import { ValidationError, type ErrorIssue } from '../errors.js';
import { COLLECTION_SUFFIXES } from '../ops/indexes.js';
import { crossTenantRuleSchema, timeBasedRuleSchema, type CrossTenantRule, type CrossTenantRuleInput, type TimeBasedRule, type TimeBasedRuleInput } from './analytics-rules.js';
import { aggregateHead, medianOf, type Operation } from './head-aggregate.js';
import { checkRuleQuery, headField, headFilter, windowOf } from './head-filter.js';
import { timeframeBucket } from './timeframe.js';
import type { z } from 'zod';

/** Collection of time-based results in a tenant's analytics database. */
export const TIME_BASED_RESULTS = 'timeBasedResults';
/** Collection of cross-tenant results in the master tenant's analytics database. */
export const CROSS_TENANT_RESULTS = 'crossTenantResults';

/** A tenant's runtime database (where `<collection>_head` lives) and its analytics database. */
export interface TenantDbs {
  db: Db;
  analyticsDb: Db;
}

/** Options of {@link createAdvancedAnalytics}. */
export interface AdvancedAnalyticsOptions {
  /** The databases of a tenant (`undefined`: the deployment's default tenant, for rules without one). Throw a RouteError for unknown tenants. */
  resolveTenantDb: (tenantId: string | undefined) => TenantDbs | Promise<TenantDbs>;
  /** `analytics.tenants`: rules without `tenantId` run for each, and readers without a tenant search each. */
  tenants?: readonly string[];
  /** Indexed props of a collection; when given, rules naming other props are refused. */
  indexedPropsOf?: (collection: string) => readonly string[] | undefined;
  /** Time of "now" for windows and timeframe buckets; defaults to the system clock. */
  clock?: () => Date;
}

/** The window a result was computed over (`[from, to)` on the records' `_system.updatedAt`). */
export interface ResultWindow {
  from: Date | null;
  to: Date | null;
}

/** One stored time-based result. */
export interface TimeBasedResult {
  /** `<rule>|<tenant>|<bucket or "global">`: re-running in the same bucket replaces the result. */
  _id: string;
  ruleName: string;
  collection: string;
  operation: Operation;
  field: string | null;
  /** The computed value; null for average / max / min / median over no numeric values. */
  value: number | null;
  /** Records the value was computed from. */
  count: number;
  saveMode: 'global' | 'timeframe';
  timeframe: 'hourly' | 'daily' | 'monthly' | null;
  /** Execution bucket (`2026-11-25T14`, `2026-11-25`, `2026-11`) in timeframe mode. */
  bucket: string | null;
  bucketStart: Date | null;
  tenantId: string | null;
  window: ResultWindow;
  arguments: unknown[] | null;
  /** When the rule ran. */
  timestamp: Date;
}

/** One slave tenant's part of a cross-tenant result. */
export interface SlaveResult {
  tenantId: string;
  /** 1/0 in boolean mode; else the sum / max / min of the field (or the match count without one). */
  value: number | null;
  /** Records that matched in this tenant. */
  count: number;
}

/** One stored cross-tenant result (one per rule and master tenant, replaced on each run). */
export interface CrossTenantResult {
  _id: string;
  ruleName: string;
  collection: string;
  mode: CrossTenantRule['mode'];
  field: string | null;
  /** boolean: slaves with ≥ 1 match; sum: total; max / min: extreme; median: median of the slave values. */
  value: number | null;
  masterTenantId: string;
  slaveResults: SlaveResult[];
  window: ResultWindow;
  timestamp: Date;
}

/** Filters of {@link AdvancedAnalytics.getTimeBasedResults}. */
export interface TimeBasedResultQuery {
  ruleName?: string;
  timeframe?: 'hourly' | 'daily' | 'monthly';
  collection?: string;
  /** Whose analytics database to read; absent: every tenant in `tenants` (or the default one). */
  tenantId?: string;
  /** Newest first; default 100, at most 1,000. */
  limit?: number;
}

/** Filters of {@link AdvancedAnalytics.getCrossTenantResults}. */
export interface CrossTenantResultQuery {
  ruleName?: string;
  masterTenantId?: string;
  collection?: string;
  /** Newest first; default 100, at most 1,000. */
  limit?: number;
}

/** The scheduled-analytics API reachable as `chronos.analytics`. */
export interface AdvancedAnalytics {
  /** Runs a time-based rule for its tenant (or each configured tenant) and stores one result per tenant. */
  executeTimeBasedRule(rule: TimeBasedRuleInput): Promise<TimeBasedResult[]>;
  /** Runs a cross-tenant rule over its slaves and stores the result in the master's analytics database. */
  executeCrossTenantRule(rule: CrossTenantRuleInput): Promise<CrossTenantResult>;
  getTimeBasedResults(query?: TimeBasedResultQuery): Promise<TimeBasedResult[]>;
  getCrossTenantResults(query?: CrossTenantResultQuery): Promise<CrossTenantResult[]>;
}

function parseRule<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(parsed.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message })), 'Invalid analytics rule');
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw ValidationError.at(['limit'], 'must be a whole number from 1 to 1000');
  return limit;
}

/**
 * Creates the scheduled-analytics API over the tenants `resolveTenantDb` reaches.
 *
 * @example
 * ```ts
 * const analytics = createAdvancedAnalytics({ resolveTenantDb: (t) => ({ db: runtimeDbOf(t), analyticsDb: analyticsDbOf(t) }) });
 * const [result] = await analytics.executeTimeBasedRule({ name: 'paid_today', collection: 'orders', tenantId: 'acme',
 *   query: { status: 'paid' }, operation: 'sum', field: 'amount', relativeTime: { newerThan: 'P1D' } });
 * ```
 */
export function createAdvancedAnalytics(options: AdvancedAnalyticsOptions): AdvancedAnalytics {
  const clock = options.clock ?? (() => new Date());

  const checkProps = (rule: { collection: string; query: Record<string, unknown>; field?: string | undefined }): void => {
    const props = options.indexedPropsOf?.(rule.collection);
    const issues: ErrorIssue[] = checkRuleQuery(rule.query, rule.field, props ? (p) => props.includes(p) : undefined);
    if (issues.length > 0) throw new ValidationError(issues, 'Invalid analytics rule');
  };

  const head = (dbs: TenantDbs, collection: string) => dbs.db.collection<Document>(collection + COLLECTION_SUFFIXES.head);

  const tenantsOf = (tenantId: string | undefined): Array<string | undefined> => (tenantId !== undefined ? [tenantId] : options.tenants?.length ? [...options.tenants] : [undefined]);

  /** Analytics databases to read, each once even when tenants share one. */
  const analyticsDbsOf = async (tenantId: string | undefined): Promise<Db[]> => {
    const seen = new Map<string, Db>();
    for (const tenant of tenantsOf(tenantId)) {
      const { analyticsDb } = await options.resolveTenantDb(tenant);
      seen.set(analyticsDb.databaseName, analyticsDb);
    }
    return [...seen.values()];
  };

  const executeTimeBasedRule = async (input: TimeBasedRuleInput): Promise<TimeBasedResult[]> => {
    const rule: TimeBasedRule = parseRule(timeBasedRuleSchema, input);
    checkProps(rule);
    const now = clock();
    const window = windowOf(rule.relativeTime, now);
    const filter = headFilter(rule.query, window);
    const bucket = rule.saveMode === 'timeframe' && rule.timeframe ? timeframeBucket(now, rule.timeframe) : undefined;
    const results: TimeBasedResult[] = [];
    for (const tenantId of tenantsOf(rule.tenantId)) {
      const dbs = await options.resolveTenantDb(tenantId);
      const { value, count } = await aggregateHead(head(dbs, rule.collection), filter, rule.operation, rule.field === undefined ? undefined : headField(rule.field));
      const result: TimeBasedResult = {
        _id: `${rule.name}|${tenantId ?? ''}|${bucket?.label ?? 'global'}`,
        ruleName: rule.name,
        collection: rule.collection,
        operation: rule.operation,
        field: rule.field ?? null,
        value,
        count,
        saveMode: rule.saveMode,
        timeframe: rule.timeframe ?? null,
        bucket: bucket?.label ?? null,
        bucketStart: bucket?.start ?? null,
        tenantId: tenantId ?? null,
        window: { from: window.from ?? null, to: window.to ?? null },
        arguments: rule.arguments ?? null,
        timestamp: now,
      };
      await dbs.analyticsDb.collection<TimeBasedResult>(TIME_BASED_RESULTS).replaceOne({ _id: result._id }, result, { upsert: true });
      results.push(result);
    }
    return results;
  };

  const slaveValue = async (dbs: TenantDbs, rule: CrossTenantRule, filter: Document): Promise<Omit<SlaveResult, 'tenantId'>> => {
    const collection = head(dbs, rule.collection);
    const path = rule.field === undefined ? undefined : headField(rule.field);
    const matches = await collection.countDocuments(filter);
    if (rule.mode === 'boolean') return { value: matches > 0 ? 1 : 0, count: matches };
    const operation: Operation = rule.mode === 'max' || rule.mode === 'min' ? rule.mode : 'sum';
    const { value } = path === undefined ? { value: matches } : await aggregateHead(collection, filter, operation, path);
    return { value, count: matches };
  };

  const combine = (mode: CrossTenantRule['mode'], values: number[]): number | null => {
    if (mode === 'boolean' || mode === 'sum') return values.reduce((a, b) => a + b, 0);
    if (values.length === 0) return null;
    if (mode === 'max') return Math.max(...values);
    if (mode === 'min') return Math.min(...values);
    return medianOf(values);
  };

  const executeCrossTenantRule = async (input: CrossTenantRuleInput): Promise<CrossTenantResult> => {
    const rule: CrossTenantRule = parseRule(crossTenantRuleSchema, input);
    checkProps(rule);
    const master = await options.resolveTenantDb(rule.masterTenantId);
    const now = clock();
    const window = windowOf(rule.relativeTime, now);
    const filter = headFilter(rule.query, window);
    const slaveResults: SlaveResult[] = [];
    for (const tenantId of rule.slaveTenantIds) {
      slaveResults.push({ tenantId, ...(await slaveValue(await options.resolveTenantDb(tenantId), rule, filter)) });
    }
    const values = slaveResults.map((s) => s.value).filter((v): v is number => v !== null);
    const result: CrossTenantResult = {
      _id: `${rule.name}|${rule.masterTenantId}`,
      ruleName: rule.name,
      collection: rule.collection,
      mode: rule.mode,
      field: rule.field ?? null,
      value: combine(rule.mode, values),
      masterTenantId: rule.masterTenantId,
      slaveResults,
      window: { from: window.from ?? null, to: window.to ?? null },
      timestamp: now,
    };
    await master.analyticsDb.collection<CrossTenantResult>(CROSS_TENANT_RESULTS).replaceOne({ _id: result._id }, result, { upsert: true });
    return result;
  };

  const readNewest = async <T extends { _id: string; timestamp: Date }>(dbs: Db[], name: string, filter: Document, limit: number): Promise<T[]> => {
    const rows: T[] = [];
    for (const db of dbs) rows.push(...((await db.collection<Document>(name).find(filter).sort({ timestamp: -1, _id: 1 }).limit(limit).toArray()) as unknown as T[]));
    return rows.sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || (a._id < b._id ? -1 : 1)).slice(0, limit);
  };

  const optionalString = (query: Record<string, unknown>, field: string): void => {
    if (query[field] !== undefined && typeof query[field] !== 'string') throw ValidationError.at([field], 'must be a string');
  };

  const getTimeBasedResults = async (query: TimeBasedResultQuery = {}): Promise<TimeBasedResult[]> => {
    for (const field of ['ruleName', 'timeframe', 'collection', 'tenantId']) optionalString(query as Record<string, unknown>, field);
    const limit = checkLimit(query.limit);
    const filter: Document = {};
    if (query.ruleName !== undefined) filter.ruleName = query.ruleName;
    if (query.timeframe !== undefined) filter.timeframe = query.timeframe;
    if (query.collection !== undefined) filter.collection = query.collection;
    if (query.tenantId !== undefined) filter.tenantId = query.tenantId;
    return readNewest<TimeBasedResult>(await analyticsDbsOf(query.tenantId), TIME_BASED_RESULTS, filter, limit);
  };

  const getCrossTenantResults = async (query: CrossTenantResultQuery = {}): Promise<CrossTenantResult[]> => {
    for (const field of ['ruleName', 'masterTenantId', 'collection']) optionalString(query as Record<string, unknown>, field);
    const limit = checkLimit(query.limit);
    const filter: Document = {};
    if (query.ruleName !== undefined) filter.ruleName = query.ruleName;
    if (query.masterTenantId !== undefined) filter.masterTenantId = query.masterTenantId;
    if (query.collection !== undefined) filter.collection = query.collection;
    return readNewest<CrossTenantResult>(await analyticsDbsOf(query.masterTenantId), CROSS_TENANT_RESULTS, filter, limit);
  };

  return { executeTimeBasedRule, executeCrossTenantRule, getTimeBasedResults, getCrossTenantResults };
}
