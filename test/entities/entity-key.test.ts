import { describe, expect, it } from 'vitest';
import { entityId, isEntityKeyValue, readKeyPath } from '../../runtime/entities/entity-key.js';

describe('the id derived for a new entity', () => {
  it('is 24 lowercase hex characters, the same for the same scope, collection, key prop and key', () => {
    const id = entityId('acme_runtime', 'customers', 'customerId', 'CUST-456');
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(entityId('acme_runtime', 'customers', 'customerId', 'CUST-456')).toBe(id);
  });

  it('differs when any part differs, including the database scope and the key type', () => {
    const base = entityId('acme_runtime', 'customers', 'customerId', '1');
    const others = [
      entityId('globex_runtime', 'customers', 'customerId', '1'),
      entityId('acme_runtime', 'clients', 'customerId', '1'),
      entityId('acme_runtime', 'customers', 'email', '1'),
      entityId('acme_runtime', 'customers', 'customerId', 1),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
  });
});

describe('reading an entity key', () => {
  it('follows a dot path and gives undefined where a step is missing', () => {
    expect(readKeyPath({ ref: { id: 'X' } }, 'ref.id')).toBe('X');
    expect(readKeyPath({ ref: 'flat' }, 'ref.id')).toBeUndefined();
  });

  it('accepts strings, finite numbers and booleans as keys, nothing else', () => {
    expect(['a', 0, true].every(isEntityKeyValue)).toBe(true);
    expect([null, undefined, Number.NaN, {}, ['a']].some(isEntityKeyValue)).toBe(false);
  });
});
