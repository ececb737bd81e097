/**
 * Where raw failures become Chronos errors (`runtime/error-boundary.ts`): each goes to the mapper
 * of the system it came from, and a wrapped API raises nothing else.
 */
import { describe, expect, it } from 'vitest';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { ChronosError, DatabaseError, StorageError } from '../../runtime/errors.js';
import { asChronosError, withChronosErrors } from '../../runtime/error-boundary.js';
import { toStorageError } from '../../runtime/storage/storage-errors.js';

const socketReset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

describe('asChronosError', () => {
  it('keeps a Chronos error as it is', () => {
    const original = new StorageError('S3: slow down', { transient: true });
    expect(asChronosError(original, 'x')).toBe(original);
  });

  it('maps MongoDB failures to a DatabaseError, transient only when a retry may help', () => {
    expect(asChronosError(new MongoNetworkError('closed'), 'reading a head')).toMatchObject({ code: 'DATABASE_FAILED', transient: true });
    const refused = asChronosError(new MongoServerError({ code: 121, errmsg: 'Document failed validation' }), 'claiming v1');
    expect(refused).toBeInstanceOf(DatabaseError);
    expect(refused).toMatchObject({ transient: false, message: expect.stringContaining('claiming v1 failed') });
  });

  it('maps a raw socket error to a transient DatabaseError', () => {
    expect(asChronosError(socketReset(), 'x')).toMatchObject({ code: 'DATABASE_FAILED', transient: true });
  });

  it('maps an aborted storage request to a transient StorageError that says it timed out', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(asChronosError(abort, 'writing item.json')).toMatchObject({ code: 'STORAGE_FAILED', transient: true, message: expect.stringContaining('timed out') });
  });

  it('maps anything else to a plain ChronosError with the original as cause', () => {
    const bug = new TypeError('x is not a function');
    const mapped = asChronosError(bug, 'update in orders');
    expect(mapped.constructor).toBe(ChronosError);
    expect(mapped.code).toBe('CHRONOS_ERROR');
    expect(mapped.cause).toBeInstanceOf(TypeError);
  });
});

describe('toStorageError', () => {
  it('takes what a store threw unmapped as an outage', () => {
    expect(toStorageError(new Error('disk full'), 'writing the payload')).toMatchObject({ code: 'STORAGE_FAILED', transient: true });
  });
});

describe('withChronosErrors', () => {
  class Crash extends Error {}
  const api = {
    label: 'kept',
    sync: () => {
      throw socketReset();
    },
    async slow() {
      throw new MongoNetworkError('closed');
    },
    async crash() {
      throw new Crash('injected');
    },
  };
  const wrapped = withChronosErrors(api, { name: (m) => `area.${m}`, passes: (e) => e instanceof Crash });

  it('wraps sync and async failures, naming the method, and keeps other members', async () => {
    expect(wrapped.label).toBe('kept');
    expect(() => wrapped.sync()).toThrow(/area\.sync failed/);
    await expect(wrapped.slow()).rejects.toMatchObject({ code: 'DATABASE_FAILED', message: expect.stringContaining('area.slow failed') });
  });

  it('lets the errors its boundary passes through unchanged', async () => {
    await expect(wrapped.crash()).rejects.toBeInstanceOf(Crash);
  });
});
