/**
 * Counters (`counterRules`, `chronos.counters`) and scheduled analytics rules
 * (`chronos.analytics`): what the config schema and the Chronos instance wire in.
 *
 * @packageDocumentation
 */
export { predicateSchema, PREDICATE_OPERATORS, type Predicate, type PredicateOperator } from './predicate.js';
export { counterRuleSchema, DEFAULT_RULE_KINDS, type CounterRule, type CounterRuleInput } from './counter-rule.js';
export { createCounterRecorder, type CounterRecorder, type CounterRecorderOptions } from './counter-recorder.js';
export { getTotals, getBucketTotals, type CounterTotals, type RuleTotals, type BucketTotals, type TotalsQuery, type BucketQuery } from './counter-totals.js';
export { pruneCounterBuckets, type CounterRetention, type PruneResult } from './counter-retention.js';
export { counterIndexes } from './counter-indexes.js';
export { TOTALS_COLLECTION, UNIQUE_COLLECTION, SEEN_COLLECTION, BATCH_COLLECTION, totalsKey, type Granularity, type CounterScope } from './counter-keys.js';
export {
  analyticsConfigSchema,
  timeBasedRuleSchema,
  crossTenantRuleSchema,
  relativeTimeSchema,
  type AnalyticsConfig,
  type AnalyticsConfigInput,
  type TimeBasedRule,
  type TimeBasedRuleInput,
  type CrossTenantRule,
  type CrossTenantRuleInput,
} from './analytics-rules.js';
export { createAdvancedAnalytics, type AdvancedAnalytics, type AdvancedAnalyticsOptions, type TenantDbs } from './advanced-analytics.js';
export {
  TIME_BASED_RESULTS,
  CROSS_TENANT_RESULTS,
  type TimeBasedResult,
  type CrossTenantResult,
  type SlaveResult,
  type ResultWindow,
  type TimeBasedResultQuery,
  type CrossTenantResultQuery,
} from './analytics-results.js';
export type { RelativeTime } from './head-filter.js';
export type { Operation } from './head-aggregate.js';
