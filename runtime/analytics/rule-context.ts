/**
 * What running a scheduled rule needs from its surroundings: the tenants' databases, the clock,
 * and the check that a rule only names indexed props. Shared by the time-based and cross-tenant
 * runners so both refuse the same things the same way.
 */
import type { Db } from 'mongodb';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import { headQueryStore } from '../mongo/stores.js';
import type { HeadQueryStore } from './store/head-query-store.js';
import { fromZodIssues } from '../validation/zod-issues.js';
import { checkRuleProps } from './head-filter.js';

/** A tenant's runtime database (where `<collection>_head` lives) and its analytics database. */
export interface TenantDbs {
  db: Db;
  analyticsDb: Db;
}

/** The surroundings of a rule run. */
export interface RuleContext {
  resolveTenantDb: (tenantId: string | undefined) => TenantDbs | Promise<TenantDbs>;
  /** `analytics.tenants`: who rules without a tenant run for. */
  tenants?: readonly string[];
  indexedPropsOf?: (collection: string) => readonly string[] | undefined;
  clock: () => Date;
}

/** Validates rule input with `schema`; a ValidationError with the zod issue paths otherwise. */
export function parseRule<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    fromZodIssues(parsed.error.issues),
    'Invalid analytics rule',
  );
}

/** Refuses a rule whose query or field names a prop the collection does not index (when the context knows them). */
export function checkIndexedProps(context: RuleContext, rule: { collection: string; query: Record<string, unknown>; field?: string | undefined }): void {
  const props = context.indexedPropsOf?.(rule.collection);
  const issues = checkRuleProps(rule.query, rule.field, props ? (p) => props.includes(p) : undefined);
  if (issues.length > 0) throw new ValidationError(issues, 'Invalid analytics rule');
}

/** The tenants a rule or reader without an explicit tenant covers: the configured ones, or the default (`undefined`). */
export function tenantsOf(context: RuleContext, tenantId: string | undefined): Array<string | undefined> {
  if (tenantId !== undefined) return [tenantId];
  return context.tenants?.length ? [...context.tenants] : [undefined];
}

/** The engine's head collection of `collection` in a tenant's runtime database. */
export function headCollection(dbs: TenantDbs, collection: string): HeadQueryStore {
  return headQueryStore(dbs.db, collection);
}
