/**
 * `initChronos({ collections })`: every collection setting is derived from the declarations, and
 * a hand-written setting that contradicts one is a ConfigError naming it. No server is needed:
 * nothing connects before the first operation.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, collectionMapsFrom, counterRulesFrom, initChronos, type ChronosConfig } from '../../runtime/index.js';
import { declared, gadgets, makers } from '../support/declared-fixture.js';

const base: ChronosConfig = {
  dbConnections: { main: { mongoUri: 'mongodb://127.0.0.1:1' } },
  localStorage: { enabled: true, basePath: '/tmp/chronos-never-written' },
  databases: { runtime: { tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: 'acme_rt' }] } },
};

function configError(config: ChronosConfig): ConfigError {
  try {
    initChronos(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('initChronos derives collection settings from the declarations', () => {
  it('fills collectionMaps and counter rules from a list of declarations', () => {
    const chronos = initChronos({ ...base, collections: declared });
    expect(chronos.config.collectionMaps.gadgets).toEqual({
      indexedProps: ['sku', 'qty'],
      base64Props: { manual: { contentType: 'application/pdf' } },
    });
    expect(chronos.config.collectionMaps.makers).toEqual({ indexedProps: ['makerId'], base64Props: {} });
    expect(chronos.config.counterRules?.rules).toEqual([
      { name: 'gadgets_bulk', on: ['CREATE'], scope: 'meta', when: { qty: { $gte: 10 } }, countUnique: ['sku'], collection: 'gadgets', count: 'every' },
    ]);
    expect([...chronos.declarations.keys()]).toEqual(['gadgets', 'makers']);
  });

  it('accepts the generated module, which exports the declarations as `collections`', () => {
    const generatedModule = { collections: declared, createRepositories: () => ({}) };
    expect([...initChronos({ ...base, collections: generatedModule }).declarations.keys()]).toEqual(['gadgets', 'makers']);
  });

  it('keeps working when the same settings are also written by hand', () => {
    const chronos = initChronos({ ...base, collections: declared, collectionMaps: collectionMapsFrom([gadgets]), counterRules: counterRulesFrom([gadgets]) });
    expect(chronos.config.counterRules?.rules.map((r) => r.name)).toEqual(['gadgets_bulk']);
  });

  it('keeps hand-written collectionMaps of undeclared collections (the untyped API)', () => {
    const chronos = initChronos({ ...base, collections: [makers], collectionMaps: { events: { indexedProps: ['kind'] } } });
    expect(Object.keys(chronos.config.collectionMaps).sort()).toEqual(['events', 'makers']);
  });
});

describe('a hand-written setting that contradicts a declaration is refused', () => {
  it('refuses a collectionMaps entry that differs from the declaration, naming the collection', () => {
    const error = configError({ ...base, collections: declared, collectionMaps: { gadgets: { indexedProps: ['sku'] } } });
    expect(error.issues).toMatchObject([{ path: ['collectionMaps', 'gadgets'] }]);
    expect(error.message).toMatch(/differs from the declaration of "gadgets"/);
  });

  it('refuses a counter rule with a declared rule name but other content', () => {
    const error = configError({ ...base, collections: declared, counterRules: { rules: [{ name: 'gadgets_bulk', when: {} }] } });
    expect(error.issues).toMatchObject([{ path: ['counterRules', 'rules', 0] }]);
    expect(error.message).toMatch(/counter rule "gadgets_bulk" differs/);
  });

  it('refuses a value that is not a declaration, naming its index', () => {
    const error = configError({ ...base, collections: [gadgets, { name: 'fake', schema: {}, indexedProps: [] }] });
    expect(error.issues).toMatchObject([{ path: ['collections', 1], message: expect.stringMatching(/defineCollection/) }]);
  });
});
