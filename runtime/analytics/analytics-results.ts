/**
 * Where scheduled analytics rules store their results, what a stored result looks like, and how
 * the readers query them (newest first, across the analytics databases asked for).
 */
import type { Db, Document } from 'mongodb';
import { ValidationError } from '../errors.js';
import type { CrossTenantRule } from './analytics-rules.js';
import type { Operation } from './head-aggregate.js';
import { ruleResultStore } from '../mongo/stores.js';

/** Collection of time-based results in a tenant's analytics database. */
export const TIME_BASED_RESULTS = 'timeBasedResults';
/** Collection of cross-tenant results in the primary tenant's analytics database. */
export const CROSS_TENANT_RESULTS = 'crossTenantResults';

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

/** One member tenant's part of a cross-tenant result. */
export interface MemberResult {
  tenantId: string;
  /** 1/0 in boolean mode; else the sum / max / min of the field (or the match count without one). */
  value: number | null;
  /** Records that matched in this tenant. */
  count: number;
}

/** @deprecated Use {@link MemberResult}. */
export type SlaveResult = MemberResult;

/**
 * One stored cross-tenant result (one per rule and primary tenant, replaced on each run).
 * Results stored by versions that wrote `masterTenantId` / `slaveResults` are read back under the
 * new names (see {@link normalizeCrossTenantResult}).
 */
export interface CrossTenantResult {
  _id: string;
  ruleName: string;
  collection: string;
  mode: CrossTenantRule['mode'];
  field: string | null;
  /** boolean: members with ≥ 1 match; sum: total; max / min: extreme; median: median of the member values. */
  value: number | null;
  /** The tenant whose analytics database stores the result. */
  primaryTenantId: string;
  /** One entry per member tenant, in the rule's order. */
  memberResults: MemberResult[];
  window: ResultWindow;
  timestamp: Date;
  /** @deprecated Use `primaryTenantId` (a read-only, non-enumerable alias; not stored). */
  readonly masterTenantId: string;
  /** @deprecated Use `memberResults` (a read-only, non-enumerable alias; not stored). */
  readonly slaveResults: MemberResult[];
}

/** A cross-tenant result as stored: the new names only. */
export type StoredCrossTenantResult = Omit<CrossTenantResult, 'masterTenantId' | 'slaveResults'>;

/**
 * A cross-tenant result as the API returns it: a stored document (of this version, or of one that
 * wrote `masterTenantId` / `slaveResults`) under the new names, with the deprecated names as
 * non-enumerable getters so code written against them keeps working.
 */
export function normalizeCrossTenantResult(doc: Document): CrossTenantResult {
  const { masterTenantId, slaveResults, ...rest } = doc;
  const result = { ...rest, primaryTenantId: rest['primaryTenantId'] ?? masterTenantId, memberResults: rest['memberResults'] ?? slaveResults } as StoredCrossTenantResult;
  return Object.defineProperties(result, {
    masterTenantId: { get: () => result.primaryTenantId, enumerable: false },
    slaveResults: { get: () => result.memberResults, enumerable: false },
  }) as CrossTenantResult;
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
  /** Results of this primary tenant, read from its analytics database only. */
  primaryTenantId?: string;
  /** @deprecated Use `primaryTenantId`; giving both with different values is a ValidationError. */
  masterTenantId?: string;
  collection?: string;
  /** Newest first; default 100, at most 1,000. */
  limit?: number;
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) throw ValidationError.at(['limit'], 'must be a whole number from 1 to 1000');
  return limit;
}

/** Copies the string filters of a reader query, refusing anything but strings (no operator objects). */
function stringFilter(query: object, fields: readonly string[]): Document {
  const filter: Document = {};
  for (const field of fields) {
    const value = (query as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw ValidationError.at([field], 'must be a string');
    filter[field] = value;
  }
  return filter;
}

/** Mongo filter and limit of a {@link TimeBasedResultQuery}. */
export function timeBasedResultFilter(query: TimeBasedResultQuery): { filter: Document; limit: number } {
  return { filter: stringFilter(query, ['ruleName', 'timeframe', 'collection', 'tenantId']), limit: checkLimit(query.limit) };
}

/**
 * Mongo filter and limit of a {@link CrossTenantResultQuery}, and its primary tenant (from either
 * spelling). The filter matches the primary tenant under both stored names, so results written
 * before the rename are found too.
 */
export function crossTenantResultFilter(query: CrossTenantResultQuery): { filter: Document; limit: number; primaryTenantId: string | undefined } {
  const filter = stringFilter(query, ['ruleName', 'collection']);
  const { primaryTenantId, masterTenantId } = stringFilter(query, ['primaryTenantId', 'masterTenantId']) as { primaryTenantId?: string; masterTenantId?: string };
  if (primaryTenantId !== undefined && masterTenantId !== undefined && primaryTenantId !== masterTenantId) {
    throw ValidationError.at(['masterTenantId'], `is the deprecated name of primaryTenantId, which says otherwise ("${primaryTenantId}"); give only primaryTenantId`);
  }
  const primary = primaryTenantId ?? masterTenantId;
  if (primary !== undefined) filter['$or'] = [{ primaryTenantId: primary }, { masterTenantId: primary }];
  return { filter, limit: checkLimit(query.limit), primaryTenantId: primary };
}

/** The newest `limit` results matching `filter` across `dbs` (newest first, ties by `_id`). */
export async function readNewest<T extends { _id: string; timestamp: Date }>(dbs: readonly Db[], collection: string, filter: Document, limit: number): Promise<T[]> {
  const rows: T[] = [];
  for (const db of dbs) {
    rows.push(...(await ruleResultStore<T>(db, collection).newest(filter, limit)));
  }
  return rows.sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || (a._id < b._id ? -1 : 1)).slice(0, limit);
}
