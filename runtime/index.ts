/**
 * The public API of Chronos. Everything a user can import from `chronos-db` is re-exported
 * here; files not reachable from this one are internal.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export type * from './ops/types.js';
export type * from './storage/object-store.js';
export * from './schema/index.js';
/** True when an error is worth retrying later (a server or storage that is away); see the README. */
export { isTransientError } from './retry/transient.js';
export { initChronos, type Chronos, type IdentitiesContext, type TieredOptions, type TotalsQuery } from './chronos.js';
export type { ChronosConfig, ParsedChronosConfig, CollectionMapConfig } from './config/schema.js';
export type { CollectionsInput, DeclaredCollection } from './config/declared-collections.js';
export type { RouteContext, DatabaseType, Tier, ContextTier } from './router/resolve-route.js';
export type { ChronosAdmin, InstanceReconcileReport, InstanceRetentionReport, MetaBackfillResult } from './instance/admin.js';
export type { MetaBackfillPlan, MetaBackfillReport, BackfillScope } from './ops/backfill-meta.js';
export type { HardDeleteReport, HardDeleteOptions } from './ops/erase-record.js';
export type { VersionedCollection } from './instance/versioned-collections.js';
export type { VersionLogEntry, VersionLogPage, VersionLogQuery, VersionKind } from './instance/version-log.js';
export type { HealthReport, BackendHealth, HealthOptions } from './instance/health.js';
export type { ReconcileReport } from './ops/reconcile.js';
export type { RetentionReport } from './ops/retention.js';
export type * from './messaging/types.js';
export type * from './identities/types.js';
export type { TieredFetchResult, TierMergeOptions, FetchTier } from './tiered/tiered-types.js';
export type { CounterTotals, RuleTotals, BucketTotals } from './counters/counter-totals.js';
export { CountersPendingError } from './counters/counter-errors.js';
export { CreateManyError, type CreateManyOutcome } from './ops/create-many.js';
export type { CounterReconcileReport } from './instance/counter-reconcile.js';
export type { CounterRecoveryReport } from './counters/counter-recovery.js';
export type { UncountedReport } from './counters/uncounted-versions.js';
export type { AdvancedAnalytics } from './analytics/advanced-analytics.js';
export type { TimeBasedRuleInput, CrossTenantRuleInput, AnalyticsConfigInput } from './analytics/analytics-rules.js';
export type { TimeBasedResult, CrossTenantResult, MemberResult, TimeBasedResultQuery, CrossTenantResultQuery } from './analytics/analytics-results.js';
/** @deprecated Use {@link MemberResult}. */
export type { SlaveResult } from './analytics/analytics-results.js';
