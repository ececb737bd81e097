import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { identityIndexes } from '../../runtime/identities/indexes.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('ident_indexes');
});
afterAll(async () => {
  await base.dispose();
});

describe('identity index declarations', () => {
  it('declares the unique id key, one index per indexed prop and the unique claim key', () => {
    expect(identityIndexes('users', ['status', 'email'])).toEqual([
      { collection: 'users', name: 'chronos_tenant_id', key: { tenantId: 1, id: 1 }, unique: true },
      { collection: 'users', name: 'chronos_data_email', key: { tenantId: 1, 'data.email': 1, id: 1 } },
      { collection: 'users', name: 'chronos_data_status', key: { tenantId: 1, 'data.status': 1, id: 1 } },
      { collection: 'users_claims', name: 'chronos_tenant_head_ov', key: { tenantId: 1, headId: 1, ov: 1 }, unique: true },
    ]);
  });

  it('creates every declared index on the live database with the first write', async () => {
    const sessions = createIdentityOps(base.db, 't1', 'sessions', { indexedProps: ['userId', 'device.kind'] });
    await sessions.create({ userId: 'u1', device: { kind: 'phone' } });
    for (const spec of identityIndexes('sessions', ['userId', 'device.kind'])) {
      const live = await base.db.collection(spec.collection).indexes();
      const found = live.find((i) => i.name === spec.name);
      expect(found?.key, `${spec.collection}.${spec.name}`).toEqual(spec.key);
      expect(Boolean(found?.unique)).toBe(Boolean(spec.unique));
    }
  });
});
