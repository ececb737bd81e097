/**
 * Transaction detection: the commit step runs in a transaction only where the server has them
 * (a replica set or mongos, and not FerretDB); elsewhere the protocol's two-step commit runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectTransactions, supportsTransactions } from '../../runtime/ops/commit-strategy.js';
import { openFixture, type Fixture } from './support/fixture.js';

describe('transaction detection', () => {
  it('says yes for a replica set member and a mongos, no for a standalone and for FerretDB', () => {
    expect(supportsTransactions({ setName: 'rs0', isWritablePrimary: true }, { version: '7.0.0' })).toBe(true);
    expect(supportsTransactions({ msg: 'isdbgrid' }, { version: '7.0.0' })).toBe(true);
    expect(supportsTransactions({ isWritablePrimary: true }, { version: '7.0.0' })).toBe(false);
    expect(supportsTransactions({ setName: 'rs0' }, { version: '7.0.42', ferretdbVersion: 'v1.24.2' })).toBe(false);
  });

  describe('against the test server', () => {
    let fx: Fixture;
    beforeAll(async () => {
      fx = await openFixture('local');
    });
    afterAll(async () => {
      await fx.teardown();
    });

    it('finds that the provisioned FerretDB has no transactions, and writes still commit by the protocol', async () => {
      expect(await detectTransactions(fx.db)).toBe(false);
      const ops = fx.ops('tx', { settings: { transactions: { enabled: true, autoDetect: true } } });
      const { id } = await ops.create({ a: 1 });
      expect(await ops.update(id, { a: 2 }, 0)).toMatchObject({ ov: 1 });
    });
  });
});
