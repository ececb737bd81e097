import { describe, expect, it } from 'vitest';
import { mergeTiers } from '../../runtime/tiered/merge-tiers.js';

const generic = { theme: 'light', features: ['basic', 'standard'], settings: { timeout: 30 } };
const domain = { features: ['advanced'], settings: { maxRetries: 3 } };
const tenant = { theme: 'dark', features: ['premium'], settings: { timeout: 60 } };

describe('merging tiers generic ← domain ← tenant', () => {
  it('gives the chronos-db worked example its documented result', () => {
    expect(mergeTiers([generic, domain, tenant])).toEqual({
      theme: 'dark',
      features: ['basic', 'standard', 'advanced', 'premium'],
      settings: { timeout: 60, maxRetries: 3 },
    });
  });

  it('lets a later tier override a scalar with a different type, including null', () => {
    expect(mergeTiers([{ a: { b: 1 }, c: 'x' }, { a: 'flat', c: null }])).toEqual({ a: 'flat', c: null });
  });

  it('leaves its inputs untouched', () => {
    const before = structuredClone([generic, domain, tenant]);
    mergeTiers([generic, domain, tenant]);
    expect([generic, domain, tenant]).toEqual(before);
  });
});

describe('array union and dedupeArrays', () => {
  const layers = [{ tags: ['a', { k: 1 }] }, { tags: ['a', { k: 1 }, 'b'] }];

  it('drops items deep-equal to earlier ones by default', () => {
    expect(mergeTiers(layers)).toEqual({ tags: ['a', { k: 1 }, 'b'] });
  });

  it('concatenates arrays as they are with dedupeArrays false', () => {
    expect(mergeTiers(layers, { dedupeArrays: false })).toEqual({ tags: ['a', { k: 1 }, 'a', { k: 1 }, 'b'] });
  });

  it('keeps duplicates within one tier as that tier wrote them', () => {
    expect(mergeTiers([{ tags: ['x', 'x'] }])).toEqual({ tags: ['x', 'x'] });
    expect(mergeTiers([{ tags: ['x', 'x'] }, { tags: ['y', 'y', 'x'] }])).toEqual({ tags: ['x', 'x', 'y', 'y'] });
  });
});
