/**
 * The options the connection pool gives each MongoClient it creates. The driver waits 30 s by
 * default for a reachable server before an operation fails, so with MongoDB down the first call
 * and `health()` hung for half a minute. The pool asks for 5 s instead: a server that is down is
 * reported (as a transient `DatabaseError`, which the fallback queue and callers' retries take as
 * "try later") within seconds, while a primary election on a replica set, which usually takes a
 * few seconds, still fits. `dbConnections.<name>.serverSelectionTimeoutMS` sets it per
 * connection; a `serverSelectionTimeoutMS` in the URI itself is kept when the config sets none.
 */
import type { MongoClientOptions } from 'mongodb';
import type { ParsedChronosConfig } from '../config/schema.js';

/** How long an operation waits for a reachable server when neither the config nor the URI says (ms). */
export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

/**
 * The options of the client for `uri`: `serverSelectionTimeoutMS` from the `dbConnections`
 * entries with that URI (the longest, when several name the same URI with different values, as
 * they share one client), else none when the URI sets it, else
 * {@link DEFAULT_SERVER_SELECTION_TIMEOUT_MS}.
 */
export function mongoClientOptions(config: Pick<ParsedChronosConfig, 'dbConnections'>, uri: string): MongoClientOptions {
  const configured = Object.values(config.dbConnections)
    .filter((connection) => connection.mongoUri === uri)
    .flatMap((connection) => (connection.serverSelectionTimeoutMS === undefined ? [] : [connection.serverSelectionTimeoutMS]));
  if (configured.length > 0) return { serverSelectionTimeoutMS: Math.max(...configured) };
  if (uriSetsOption(uri, 'serverSelectionTimeoutMS')) return {};
  return { serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS };
}

/** True when the query string of a connection string names `option` (option names are case-insensitive there). */
export function uriSetsOption(uri: string, option: string): boolean {
  const query = uri.indexOf('?');
  if (query < 0) return false;
  const wanted = option.toLowerCase();
  return uri
    .slice(query + 1)
    .split('&')
    .some((pair) => (pair.split('=')[0] ?? '').toLowerCase() === wanted);
}
