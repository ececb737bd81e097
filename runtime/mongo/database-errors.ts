/**
 * The error mapper of MongoDB: what the driver, BSON or the socket under it throws reaches a
 * caller as a {@link DatabaseError}, transient when a retry may help (`retry/transient.ts`), the
 * original as `cause`. `error-boundary.ts` sends every such failure here.
 */
import { BSON, MongoError } from 'mongodb';
import { DatabaseError } from '../errors.js';
import { isTransientError } from '../retry/transient.js';

/** True for a failure of the database connection: a driver or BSON error, or a socket error a retry may fix. */
export function isDatabaseFailure(e: unknown): boolean {
  return e instanceof MongoError || e instanceof BSON.BSONError || (e instanceof Error && isTransientError(e));
}

/** The {@link DatabaseError} for a database failure `e` of `what`. */
export function toDatabaseError(e: unknown, what: string): DatabaseError {
  const message = e instanceof Error ? e.message : String(e);
  return new DatabaseError(`${what} failed: ${message}`, { cause: e, transient: isTransientError(e) });
}
