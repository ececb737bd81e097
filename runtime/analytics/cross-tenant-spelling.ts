/**
 * The two spellings of a cross-tenant rule's tenants: `primaryTenantId` / `memberTenantIds`, and
 * the deprecated `masterTenantId` / `slaveTenantIds` of the chronos-db API. A rule may use
 * either (or both with the same values); this file is the one place that reads them.
 */
import { isDeepStrictEqual } from 'node:util';

/** The tenant fields of a cross-tenant rule as written, in either spelling. */
export interface TenantSpellings {
  primaryTenantId?: string | undefined;
  memberTenantIds?: string[] | undefined;
  masterTenantId?: string | undefined;
  slaveTenantIds?: string[] | undefined;
}

/** A rule's tenants and the field each was read from (so an error names the field the user wrote). */
export interface RuleTenants {
  primary: { tenantId: string; field: 'primaryTenantId' | 'masterTenantId' };
  members: { tenantIds: string[]; field: 'memberTenantIds' | 'slaveTenantIds' };
}

const PAIRS = [
  { name: 'primaryTenantId', deprecated: 'masterTenantId', missing: 'name the tenant whose analytics database stores the result' },
  { name: 'memberTenantIds', deprecated: 'slaveTenantIds', missing: 'name at least one member tenant' },
] as const;

/** Problems with a rule's tenant fields: a missing one, or a field and its deprecated name given with different values. */
export function tenantSpellingIssues(rule: TenantSpellings): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  for (const { name, deprecated, missing } of PAIRS) {
    const current = rule[name];
    const old = rule[deprecated];
    if (current === undefined && old === undefined) issues.push({ path: [name], message: missing });
    else if (current !== undefined && old !== undefined && !isDeepStrictEqual(current, old)) {
      issues.push({ path: [deprecated], message: `is the deprecated name of ${name}, which says otherwise (${JSON.stringify(current)}); give only ${name}` });
    }
  }
  return issues;
}

/** The tenants of a validated rule, from whichever spelling it used (the new name first). */
export function tenantsOfRule(rule: TenantSpellings): RuleTenants {
  const primary = rule.primaryTenantId !== undefined ? { tenantId: rule.primaryTenantId, field: 'primaryTenantId' as const } : { tenantId: rule.masterTenantId ?? '', field: 'masterTenantId' as const };
  const members = rule.memberTenantIds !== undefined ? { tenantIds: rule.memberTenantIds, field: 'memberTenantIds' as const } : { tenantIds: rule.slaveTenantIds ?? [], field: 'slaveTenantIds' as const };
  return { primary, members };
}
