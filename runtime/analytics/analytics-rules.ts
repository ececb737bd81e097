/**
 * Config schemas of scheduled analytics rules (`analytics.timeBasedRules`,
 * `analytics.crossTenantRules`) and of the whole `analytics` block, reused by the config schema.
 */
import { z } from 'zod';
import { counterRuleSchema } from '../counters/counter-rule.js';
import { parseDuration } from './duration.js';
import { checkRuleProps } from './head-filter.js';
import { predicateSchema } from './predicate.js';
import { tenantSpellingIssues, tenantsOfRule, type TenantSpellings } from './cross-tenant-spelling.js';

const RULE_NAME = /^[A-Za-z0-9_-]+$/;

const durationSchema = z.string().refine((text) => parseDuration(text) !== undefined, {
  message: 'use an ISO-8601 duration such as PT1H, P1D, P1W or P1M',
});

/** `relativeTime`: a window on the records' `_system.updatedAt`; both bounds apply together. */
const relativeTimeSchema = z.strictObject({ newerThan: durationSchema.optional(), olderThan: durationSchema.optional() });

const common = {
  name: z.string().regex(RULE_NAME, 'use letters, digits, "_" or "-"'),
  collection: z.string().min(1, 'name the Chronos collection whose records the rule reads'),
  query: predicateSchema.default({}),
  field: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'use an indexed prop as a dot path such as "amount" or "totals.net"').optional(),
  relativeTime: relativeTimeSchema.optional(),
};

/** Refuses `_system` fields other than the times in `query` and `field` (operators are checked by the predicate schema). */
function refineQuery(rule: { query: Record<string, unknown>; field?: string | undefined }, ctx: z.RefinementCtx): void {
  for (const issue of checkRuleProps(rule.query, rule.field, undefined)) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
}

/**
 * A time-based rule: one value (count, sum, average, max, min or median of `field`) over the
 * latest non-deleted records of `collection` matching `query`, saved once per rule (`global`) or
 * once per hour / day / month of execution (`timeframe`).
 */
export const timeBasedRuleSchema = z
  .strictObject({
    ...common,
    operation: z.enum(['count', 'sum', 'average', 'max', 'min', 'median']),
    saveMode: z.enum(['global', 'timeframe']).default('global'),
    timeframe: z.enum(['hourly', 'daily', 'monthly']).optional(),
    /** Free-form arguments, stored with each result for the worker that scheduled the rule. */
    arguments: z.array(z.unknown()).optional(),
    /** The tenant whose records are read and whose analytics database stores the result; absent = every configured tenant. */
    tenantId: z.string().min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.operation !== 'count' && rule.field === undefined) ctx.addIssue({ code: 'custom', path: ['field'], message: `operation "${rule.operation}" needs a field (an indexed prop holding numbers)` });
    if (rule.saveMode === 'timeframe' && rule.timeframe === undefined) ctx.addIssue({ code: 'custom', path: ['timeframe'], message: 'saveMode "timeframe" needs timeframe: hourly, daily or monthly' });
    refineQuery(rule, ctx);
  });

/** A time-based rule as written in the config. */
export type TimeBasedRuleInput = z.input<typeof timeBasedRuleSchema>;
/** A validated time-based rule. */
export type TimeBasedRule = z.output<typeof timeBasedRuleSchema>;

const tenantIdSchema = z.string().min(1);
const memberTenantIdsSchema = z.array(tenantIdSchema).min(1, 'name at least one member tenant');

/**
 * A cross-tenant rule: the same query run in each member tenant, combined in the primary tenant.
 * `boolean` counts the members with at least one match; `sum`, `max`, `min` and `median` combine
 * one value per member (the sum / max / min of `field`, or the match count without a field).
 * The tenants may also be given by their deprecated names, `masterTenantId` and
 * `slaveTenantIds`; {@link tenantsOfRule} reads either spelling.
 */
export const crossTenantRuleSchema = z
  .strictObject({
    ...common,
    mode: z.enum(['boolean', 'sum', 'max', 'min', 'median']),
    /** The tenant whose analytics database stores the result. */
    primaryTenantId: tenantIdSchema.optional(),
    /** The tenants the query runs in, one value each. */
    memberTenantIds: memberTenantIdsSchema.optional(),
    /** @deprecated Use `primaryTenantId`; giving both with different values is an error. */
    masterTenantId: tenantIdSchema.optional(),
    /** @deprecated Use `memberTenantIds`; giving both with different values is an error. */
    slaveTenantIds: memberTenantIdsSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    for (const issue of tenantSpellingIssues(rule)) ctx.addIssue({ code: 'custom', ...issue });
    refineQuery(rule, ctx);
  });

/**
 * A cross-tenant rule as written: a primary tenant and member tenants, each under its name or
 * its deprecated chronos-db name (at least one of the two, the same value when both).
 */
export type CrossTenantRuleInput = Omit<z.input<typeof crossTenantRuleSchema>, keyof TenantSpellings> & EitherSpelling<'primaryTenantId', 'masterTenantId', string> & EitherSpelling<'memberTenantIds', 'slaveTenantIds', string[]>;

/** `Name` or its deprecated `Old`, at least one of them. */
type EitherSpelling<Name extends string, Old extends string, T> = ({ [K in Name]: T } & { [K in Old]?: T }) | ({ [K in Name]?: T } & { [K in Old]: T });
/** A validated cross-tenant rule. */
export type CrossTenantRule = z.output<typeof crossTenantRuleSchema>;

/**
 * The `analytics` config block. `tenants` lists the tenants rules without a `tenantId` run for
 * (and whose results the readers search); every tenant a rule names must be in it when it is set.
 */
export const analyticsConfigSchema = z
  .strictObject({
    counterRules: z.array(counterRuleSchema).default([]),
    timeBasedRules: z.array(timeBasedRuleSchema).default([]),
    crossTenantRules: z.array(crossTenantRuleSchema).default([]),
    tenants: z.array(z.string().min(1)).optional(),
  })
  .superRefine((config, ctx) => {
    const names = new Map<string, string>();
    const checkName = (kind: string, name: string, path: Array<string | number>): void => {
      const previous = names.get(`${kind}:${name}`);
      if (previous) ctx.addIssue({ code: 'custom', path, message: `rule name "${name}" is used twice (also at ${previous}); names key the stored results` });
      names.set(`${kind}:${name}`, path.join('.'));
    };
    config.counterRules.forEach((rule, i) => checkName('counter', rule.name, ['counterRules', i, 'name']));
    config.timeBasedRules.forEach((rule, i) => checkName('time', rule.name, ['timeBasedRules', i, 'name']));
    config.crossTenantRules.forEach((rule, i) => checkName('cross', rule.name, ['crossTenantRules', i, 'name']));
    if (!config.tenants) return;
    const known = new Set(config.tenants);
    const checkTenant = (tenant: string | undefined, path: Array<string | number>): void => {
      if (tenant !== undefined && !known.has(tenant)) ctx.addIssue({ code: 'custom', path, message: `tenant "${tenant}" is not in analytics.tenants` });
    };
    config.timeBasedRules.forEach((rule, i) => checkTenant(rule.tenantId, ['timeBasedRules', i, 'tenantId']));
    config.crossTenantRules.forEach((rule, i) => {
      if (tenantSpellingIssues(rule).length > 0) return; // reported by the rule's own schema
      const { primary, members } = tenantsOfRule(rule);
      checkTenant(primary.tenantId, ['crossTenantRules', i, primary.field]);
      members.tenantIds.forEach((member, j) => checkTenant(member, ['crossTenantRules', i, members.field, j]));
    });
  });

/** The `analytics` block as written in the config. */
export type AnalyticsConfigInput = z.input<typeof analyticsConfigSchema>;
