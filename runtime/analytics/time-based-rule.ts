/**
 * Running one time-based rule: aggregate over each covered tenant's head collection and store
 * the result in that tenant's analytics database.
 */
import { timeBasedRuleSchema, type TimeBasedRule, type TimeBasedRuleInput } from './analytics-rules.js';
import { TIME_BASED_RESULTS, type TimeBasedResult } from './analytics-results.js';
import { aggregateHead } from './head-aggregate.js';
import { headField, headFilter, windowOf } from './head-filter.js';
import { checkIndexedProps, headCollection, parseRule, tenantsOf, type RuleContext } from './rule-context.js';
import { timeframeBucket } from './timeframe.js';
import { ruleResultStore } from '../mongo/stores.js';

/**
 * Validates and runs `input` for its tenant (or every configured tenant), upserting one result
 * per tenant: keyed by rule alone in `global` mode, by rule and the hour / day / month of `now`
 * in `timeframe` mode. The window (relativeTime) is separate from the timeframe: combine
 * `relativeTime: { newerThan: 'PT1H' }` with `timeframe: 'hourly'` for "per hour, the last hour".
 */
export async function runTimeBasedRule(context: RuleContext, input: TimeBasedRuleInput): Promise<TimeBasedResult[]> {
  const rule: TimeBasedRule = parseRule(timeBasedRuleSchema, input);
  checkIndexedProps(context, rule);
  const now = context.clock();
  const window = windowOf(rule.relativeTime, now);
  const filter = headFilter(rule.query, window);
  const bucket = rule.saveMode === 'timeframe' && rule.timeframe ? timeframeBucket(now, rule.timeframe) : undefined;
  const path = rule.field === undefined ? undefined : headField(rule.field);
  const results: TimeBasedResult[] = [];
  for (const tenantId of tenantsOf(context, rule.tenantId)) {
    const dbs = await context.resolveTenantDb(tenantId);
    const { value, count } = await aggregateHead(headCollection(dbs, rule.collection), filter, rule.operation, path);
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
    await ruleResultStore<TimeBasedResult>(dbs.analyticsDb, TIME_BASED_RESULTS).save(result);
    results.push(result);
  }
  return results;
}
