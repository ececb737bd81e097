import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteError, ValidationError } from '../../runtime/errors.js';
import type { VersionedOps } from '../../runtime/ops/types.js';
import { fetchTiered } from '../../runtime/tiered/fetch-tiered.js';
import type { FetchTier, TierResolver } from '../../runtime/tiered/tiered-types.js';
import { openHarness, type EngineHarness } from '../entities/engine-harness.js';

// The knowledge databases of an imagined config: a generic one, domain "production", tenant "tenant-a".
const DATABASES = ['generic', 'domain-production', 'tenant-tenanta'] as const;

let h: EngineHarness;
beforeAll(async () => {
  h = await openHarness('tiered', DATABASES);
});
afterAll(async () => {
  await h?.close();
});

let sequence = 0;

/** A fresh collection in each tier, and a resolver over them like the one `getKnowledge` builds. */
function tiers(options: { domainTierConfigured?: boolean } = {}) {
  sequence += 1;
  const collection = `appconfig${sequence}`;
  const ops = (database: string): VersionedOps => h.ops({ database, collection, settings: { indexedProps: ['key'] } });
  const byTier: Record<FetchTier, VersionedOps> = {
    generic: ops('generic'),
    domain: ops('domain-production'),
    tenant: ops('tenant-tenanta'),
  };
  const asked: FetchTier[] = [];
  const resolver: TierResolver = {
    opsFor(tier, request) {
      asked.push(tier);
      if (request.collection !== collection) throw new Error(`asked for ${request.collection}`);
      if (tier === 'domain' && options.domainTierConfigured === false) return undefined;
      if (tier === 'tenant' && request.tenantId !== 'tenant-a') throw new RouteError(`unknown tenant "${request.tenantId}"`);
      if (tier === 'domain' && request.domain !== 'production') throw new RouteError(`unknown domain "${request.domain}"`);
      return byTier[tier];
    },
  };
  return { collection, resolver, asked, ...byTier };
}

const everywhere = { tenantId: 'tenant-a', domain: 'production' };

describe('merging tiers (merge: true)', () => {
  it('gives the chronos-db worked example "How Tiered Merging Works" its documented result', async () => {
    const t = tiers();
    const generic = await t.generic.create({ key: 'feature-flags', theme: 'light', features: ['basic', 'standard'], settings: { timeout: 30 } });
    await t.domain.create({ key: 'feature-flags', features: ['advanced'], settings: { maxRetries: 3 } });
    await t.tenant.create({ key: 'feature-flags', theme: 'dark', features: ['premium'], settings: { timeout: 60 } });

    const result = await fetchTiered(t.resolver, t.collection, { key: 'feature-flags' }, { ...everywhere, merge: true, mergeOptions: { dedupeArrays: true } });

    expect(result.data).toEqual({
      key: 'feature-flags',
      theme: 'dark',
      features: ['basic', 'standard', 'advanced', 'premium'],
      settings: { timeout: 60, maxRetries: 3 },
    });
    expect(result.tiersFound).toEqual(['generic', 'domain', 'tenant']);
    expect(Object.keys(result.tierRecords)).toEqual(['generic', 'domain', 'tenant']);
    expect(result.tierRecords.generic).toMatchObject({ theme: 'light', _id: generic.id, _system: { ov: 0 } });
    expect(result.tierRecords.tenant).toMatchObject({ theme: 'dark', features: ['premium'] });
  });

  it('concatenates arrays with duplicates when dedupeArrays is false', async () => {
    const t = tiers();
    await t.generic.create({ key: 'k', features: ['basic', 'standard'] });
    await t.domain.create({ key: 'k', features: ['basic', 'advanced'] });

    const deduped = await fetchTiered(t.resolver, t.collection, { key: 'k' }, { ...everywhere, merge: true });
    const concatenated = await fetchTiered(t.resolver, t.collection, { key: 'k' }, { ...everywhere, merge: true, mergeOptions: { dedupeArrays: false } });

    expect(deduped.data?.features).toEqual(['basic', 'standard', 'advanced']);
    expect(concatenated.data?.features).toEqual(['basic', 'standard', 'basic', 'advanced']);
  });

  it('merges only the tiers that have a match', async () => {
    const t = tiers();
    await t.generic.create({ key: 'k', a: 1 });
    await t.tenant.create({ key: 'k', b: 2 });

    const result = await fetchTiered(t.resolver, t.collection, { key: 'k' }, { ...everywhere, merge: true });
    expect(result).toMatchObject({ data: { key: 'k', a: 1, b: 2 }, tiersFound: ['generic', 'tenant'] });
    expect(result.tierRecords).not.toHaveProperty('domain');
  });

  it('returns null data and no tiers when nothing matches', async () => {
    const t = tiers();
    expect(await fetchTiered(t.resolver, t.collection, { key: 'nowhere' }, { ...everywhere, merge: true })).toEqual({
      data: null,
      tiersFound: [],
      tierRecords: {},
    });
  });
});

describe('first found (merge: false)', () => {
  it('returns the tenant record when the tenant has one, without asking the other tiers', async () => {
    const t = tiers();
    await t.generic.create({ key: 'k', from: 'generic' });
    await t.domain.create({ key: 'k', from: 'domain' });
    const tenant = await t.tenant.create({ key: 'k', from: 'tenant' });

    const result = await fetchTiered(t.resolver, t.collection, { key: 'k' }, everywhere);
    expect(result).toEqual({ data: { key: 'k', from: 'tenant' }, tiersFound: ['tenant'], tierRecords: { tenant: expect.objectContaining({ _id: tenant.id }) } });
    expect(t.asked).toEqual(['tenant']);
  });

  it('falls back to the domain, then to the generic tier', async () => {
    const t = tiers();
    await t.generic.create({ key: 'both', from: 'generic' });
    await t.domain.create({ key: 'both', from: 'domain' });
    await t.generic.create({ key: 'generic-only', from: 'generic' });

    expect((await fetchTiered(t.resolver, t.collection, { key: 'both' }, everywhere)).data).toEqual({ key: 'both', from: 'domain' });
    expect(await fetchTiered(t.resolver, t.collection, { key: 'generic-only' }, everywhere)).toMatchObject({
      data: { key: 'generic-only', from: 'generic' },
      tiersFound: ['generic'],
    });
    expect(await fetchTiered(t.resolver, t.collection, { key: 'nowhere' }, everywhere)).toEqual({ data: null, tiersFound: [], tierRecords: {} });
  });

  it('does not ask the tenant tier without a tenantId, nor the domain tier without a domain', async () => {
    const t = tiers();
    await t.generic.create({ key: 'k', from: 'generic' });
    await t.domain.create({ key: 'k', from: 'domain' });
    await t.tenant.create({ key: 'k', from: 'tenant' });

    expect((await fetchTiered(t.resolver, t.collection, { key: 'k' }, { domain: 'production' })).tiersFound).toEqual(['domain']);
    expect((await fetchTiered(t.resolver, t.collection, { key: 'k' }, {})).tiersFound).toEqual(['generic']);
    expect(t.asked).toEqual(['domain', 'generic']);
  });

  it('skips a logically deleted record and falls back to the next tier', async () => {
    const t = tiers();
    await t.domain.create({ key: 'k', from: 'domain' });
    const tenant = await t.tenant.create({ key: 'k', from: 'tenant' });
    await t.tenant.delete(tenant.id);

    expect((await fetchTiered(t.resolver, t.collection, { key: 'k' }, everywhere)).tiersFound).toEqual(['domain']);
  });
});

describe('tiers that are not configured or not known', () => {
  it('skips a tier the resolver says is not configured, in both modes', async () => {
    const t = tiers({ domainTierConfigured: false });
    await t.generic.create({ key: 'k', a: 1 });
    await t.domain.create({ key: 'k', b: 2 });

    expect((await fetchTiered(t.resolver, t.collection, { key: 'k' }, everywhere)).tiersFound).toEqual(['generic']);
    expect(await fetchTiered(t.resolver, t.collection, { key: 'k' }, { ...everywhere, merge: true })).toMatchObject({ data: { key: 'k', a: 1 }, tiersFound: ['generic'] });
  });

  it('lets a RouteError for an unknown tenant reach the caller instead of falling back', async () => {
    const t = tiers();
    await t.generic.create({ key: 'k' });

    await expect(fetchTiered(t.resolver, t.collection, { key: 'k' }, { tenantId: 'nobody' })).rejects.toBeInstanceOf(RouteError);
  });

  it('refuses a filter on a prop that is not indexed', async () => {
    const t = tiers();
    await expect(fetchTiered(t.resolver, t.collection, { theme: 'dark' }, everywhere)).rejects.toBeInstanceOf(ValidationError);
  });
});
