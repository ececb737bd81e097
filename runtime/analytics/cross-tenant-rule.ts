/**
 * Running one cross-tenant rule: one value per member tenant, combined, stored in the primary
 * tenant's analytics database.
 */
import type { Document } from 'mongodb';
import { crossTenantRuleSchema, type CrossTenantRule, type CrossTenantRuleInput } from './analytics-rules.js';
import { CROSS_TENANT_RESULTS, normalizeCrossTenantResult, type CrossTenantResult, type MemberResult, type StoredCrossTenantResult } from './analytics-results.js';
import { tenantsOfRule } from './cross-tenant-spelling.js';
import { aggregateHead, medianOf } from './head-aggregate.js';
import { headField, headFilter, windowOf } from './head-filter.js';
import { checkIndexedProps, headCollection, parseRule, type RuleContext, type TenantDbs } from './rule-context.js';
import { ruleResultStore } from '../mongo/stores.js';

/** One member's value: 1/0 in boolean mode; else the sum (sum, median), max or min of the field, or the match count without a field. */
async function memberValue(dbs: TenantDbs, rule: CrossTenantRule, filter: Document): Promise<Omit<MemberResult, 'tenantId'>> {
  const head = headCollection(dbs, rule.collection);
  const matches = await head.count(filter);
  if (rule.mode === 'boolean') return { value: matches > 0 ? 1 : 0, count: matches };
  if (rule.field === undefined) return { value: matches, count: matches };
  const operation = rule.mode === 'max' || rule.mode === 'min' ? rule.mode : 'sum';
  const { value } = await aggregateHead(head, filter, operation, headField(rule.field));
  return { value, count: matches };
}

/** Combines the members' values; members without a value (max / min over no numbers) are left out. */
function combine(mode: CrossTenantRule['mode'], values: number[]): number | null {
  if (mode === 'boolean' || mode === 'sum') return values.reduce((a, b) => a + b, 0);
  if (values.length === 0) return null;
  if (mode === 'max') return Math.max(...values);
  if (mode === 'min') return Math.min(...values);
  return medianOf(values);
}

/**
 * Validates and runs `input`: every tenant is resolved before anything is stored, so an unknown
 * member leaves no result behind. One result per rule and primary tenant, replaced on each run.
 */
export async function runCrossTenantRule(context: RuleContext, input: CrossTenantRuleInput): Promise<CrossTenantResult> {
  const rule: CrossTenantRule = parseRule(crossTenantRuleSchema, input);
  checkIndexedProps(context, rule);
  const tenants = tenantsOfRule(rule);
  const primaryTenantId = tenants.primary.tenantId;
  const primary = await context.resolveTenantDb(primaryTenantId);
  const members: Array<[string, TenantDbs]> = [];
  for (const tenantId of tenants.members.tenantIds) members.push([tenantId, await context.resolveTenantDb(tenantId)]);
  const now = context.clock();
  const window = windowOf(rule.relativeTime, now);
  const filter = headFilter(rule.query, window);
  const memberResults: MemberResult[] = [];
  for (const [tenantId, dbs] of members) memberResults.push({ tenantId, ...(await memberValue(dbs, rule, filter)) });
  const values = memberResults.map((s) => s.value).filter((v): v is number => v !== null);
  const result: StoredCrossTenantResult = {
    _id: `${rule.name}|${primaryTenantId}`,
    ruleName: rule.name,
    collection: rule.collection,
    mode: rule.mode,
    field: rule.field ?? null,
    value: combine(rule.mode, values),
    primaryTenantId,
    memberResults,
    window: { from: window.from ?? null, to: window.to ?? null },
    timestamp: now,
  };
  await ruleResultStore<StoredCrossTenantResult>(primary.analyticsDb, CROSS_TENANT_RESULTS).save(result);
  return normalizeCrossTenantResult(result);
}
