/** The one duplicate-key check (`runtime/mongo/duplicate-key.ts`) and the bulk-error reading built on it. */
import { describe, expect, it } from 'vitest';
import { MongoServerError } from 'mongodb';
import { DatabaseError } from '../../runtime/errors.js';
import { isDuplicateKeyError } from '../../runtime/mongo/duplicate-key.js';
import { duplicateKeyIndexes } from '../../runtime/mongo/bulk-write-errors.js';

const duplicate = () => new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' });

describe('isDuplicateKeyError', () => {
  it("recognises the server's E11000, and the same code from a second copy of the driver", () => {
    expect(isDuplicateKeyError(duplicate())).toBe(true);
    expect(isDuplicateKeyError({ code: 11000, message: 'E11000' })).toBe(true);
    expect(isDuplicateKeyError(new MongoServerError({ code: 11600, errmsg: 'interrupted' }))).toBe(false);
  });

  it('sees a duplicate through the Chronos error a retried step wraps it in, and nothing deeper', () => {
    expect(isDuplicateKeyError(new DatabaseError('claiming v1 failed', { cause: duplicate() }))).toBe(true);
    expect(isDuplicateKeyError(new DatabaseError('claiming v1 failed', { cause: new Error('reset') }))).toBe(false);
    expect(isDuplicateKeyError(new Error('outer', { cause: duplicate() }))).toBe(false);
  });
});

describe('duplicateKeyIndexes', () => {
  it('names the documents of an unordered batch that met a duplicate, and rethrows any other failure', () => {
    expect(duplicateKeyIndexes({ writeErrors: [{ index: 0, code: 11000 }, { index: 2, code: 11000 }] }, 3)).toEqual(new Set([0, 2]));
    const mixed = { writeErrors: [{ index: 0, code: 11000 }, { index: 1, code: 121 }] };
    expect(() => duplicateKeyIndexes(mixed, 2)).toThrow();
  });
});
