import { describe, expect, it } from 'vitest';
import { chooseBackend, jumpIndex, rendezvousIndex } from '../../runtime/router/hashing.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { resolveRoute } from '../../runtime/router/resolve-route.js';

const keys = Array.from({ length: 10_000 }, (_, i) => `tenant-${i % 97}|orders-${i}`);

function spread(pick: (key: string) => number, n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const key of keys) counts[pick(key)]! += 1;
  return counts;
}

describe('rendezvous hashing', () => {
  it('spreads keys evenly over the backends', () => {
    const counts = spread((k) => rendezvousIndex(k, ['a', 'b', 'c', 'd']), 4);
    for (const count of counts) expect(count).toBeGreaterThan(2_200);
  });

  it('moves about 1/n of the keys, all to the new backend, when a backend is added', () => {
    const before = keys.map((k) => rendezvousIndex(k, ['a', 'b', 'c', 'd']));
    const after = keys.map((k) => rendezvousIndex(k, ['a', 'b', 'c', 'd', 'e']));
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    expect(moved.length / keys.length).toBeGreaterThan(0.17);
    expect(moved.length / keys.length).toBeLessThan(0.23);
    expect(keys.every((_, i) => before[i] === after[i] || after[i] === 4)).toBe(true);
  });

  it('is deterministic', () => {
    expect(keys.slice(0, 50).map((k) => rendezvousIndex(k, ['x', 'y']))).toEqual(keys.slice(0, 50).map((k) => rendezvousIndex(k, ['x', 'y'])));
  });
});

describe('jump consistent hashing', () => {
  it('moves about 1/n of the keys, all to the new bucket, when a bucket is appended', () => {
    const before = keys.map((k) => jumpIndex(k, 4));
    const after = keys.map((k) => jumpIndex(k, 5));
    const moved = keys.filter((_, i) => before[i] !== after[i]).length / keys.length;
    expect(moved).toBeGreaterThan(0.17);
    expect(moved).toBeLessThan(0.23);
    expect(keys.every((_, i) => before[i] === after[i] || after[i] === 4)).toBe(true);
  });

  it('always picks the only backend there is', () => {
    expect(chooseBackend('jump', 'k', ['only'])).toBe(0);
    expect(chooseBackend('rendezvous', 'k', ['only'])).toBe(0);
  });
});

describe('routing over several backends', () => {
  const base = {
    dbConnections: { m1: { mongoUri: 'mongodb://h1' }, m2: { mongoUri: 'mongodb://h2' }, m3: { mongoUri: 'mongodb://h3' } },
    localStorage: { enabled: true, basePath: '/tmp/x' },
  };

  it('spreads collections of one tenant over the listed connections, the same way every time', () => {
    const config = parseConfig({
      ...base,
      databases: { runtime: { tenantDatabases: [{ tenantId: 't', dbConnRef: ['m1', 'm2', 'm3'], dbName: 'rt' }] } },
    });
    const used = new Set<string>();
    for (let i = 0; i < 60; i += 1) {
      const ctx = { databaseType: 'runtime' as const, tenantId: 't', collection: `c${i}` };
      const first = resolveRoute(config, ctx).mongo.connRef;
      expect(resolveRoute(config, ctx).mongo.connRef).toBe(first);
      used.add(first);
    }
    expect(used).toEqual(new Set(['m1', 'm2', 'm3']));
  });

  it('honours a chooseKey that names context fields', () => {
    const config = parseConfig({
      ...base,
      routing: { hashAlgo: 'jump', chooseKey: 'tenantId' },
      databases: { runtime: { tenantDatabases: [{ tenantId: 't', dbConnRef: ['m1', 'm2', 'm3'], dbName: 'rt' }] } },
    });
    const refs = new Set(Array.from({ length: 20 }, (_, i) => resolveRoute(config, { databaseType: 'runtime', tenantId: 't', collection: `c${i}` }).mongo.connRef));
    expect(refs.size).toBe(1);
  });
});
