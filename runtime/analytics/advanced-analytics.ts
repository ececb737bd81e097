/**
 * Scheduled analytics rules (`chronos.analytics`): an external worker calls these on its own
 * schedule; each run aggregates on the server over the engine's head collections and stores one
 * result document in the tenant's analytics database.
 */
import type { Db } from 'mongodb';
import type { CrossTenantRuleInput, TimeBasedRuleInput } from './analytics-rules.js';
import {
  CROSS_TENANT_RESULTS,
  crossTenantResultFilter,
  normalizeCrossTenantResult,
  readNewest,
  TIME_BASED_RESULTS,
  timeBasedResultFilter,
  type CrossTenantResult,
  type CrossTenantResultQuery,
  type TimeBasedResult,
  type TimeBasedResultQuery,
} from './analytics-results.js';
import { runCrossTenantRule } from './cross-tenant-rule.js';
import { tenantsOf, type RuleContext, type TenantDbs } from './rule-context.js';
import { runTimeBasedRule } from './time-based-rule.js';

export type { TenantDbs } from './rule-context.js';

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

/** The scheduled-analytics API reachable as `chronos.analytics`. */
export interface AdvancedAnalytics {
  /** Runs a time-based rule for its tenant (or each configured tenant) and stores one result per tenant. */
  executeTimeBasedRule(rule: TimeBasedRuleInput): Promise<TimeBasedResult[]>;
  /** Runs a cross-tenant rule over its member tenants and stores the result in the primary tenant's analytics database. */
  executeCrossTenantRule(rule: CrossTenantRuleInput): Promise<CrossTenantResult>;
  /** Stored time-based results, newest first. */
  getTimeBasedResults(query?: TimeBasedResultQuery): Promise<TimeBasedResult[]>;
  /** Stored cross-tenant results, newest first. */
  getCrossTenantResults(query?: CrossTenantResultQuery): Promise<CrossTenantResult[]>;
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
  const context: RuleContext = { ...options, clock: options.clock ?? (() => new Date()) };

  /** Analytics databases to read, each once even when tenants share one. */
  const analyticsDbsOf = async (tenantId: string | undefined): Promise<Db[]> => {
    const seen = new Map<string, Db>();
    for (const tenant of tenantsOf(context, tenantId)) {
      const { analyticsDb } = await context.resolveTenantDb(tenant);
      seen.set(analyticsDb.databaseName, analyticsDb);
    }
    return [...seen.values()];
  };

  return {
    executeTimeBasedRule: (rule) => runTimeBasedRule(context, rule),
    executeCrossTenantRule: (rule) => runCrossTenantRule(context, rule),
    async getTimeBasedResults(query = {}) {
      const { filter, limit } = timeBasedResultFilter(query);
      return readNewest<TimeBasedResult>(await analyticsDbsOf(query.tenantId), TIME_BASED_RESULTS, filter, limit);
    },
    async getCrossTenantResults(query = {}) {
      const { filter, limit, primaryTenantId } = crossTenantResultFilter(query);
      const stored = await readNewest<CrossTenantResult>(await analyticsDbsOf(primaryTenantId), CROSS_TENANT_RESULTS, filter, limit);
      return stored.map(normalizeCrossTenantResult);
    },
  };
}
