/**
 * What the engine needs to know about the server behind a database, asked once per client:
 * whether it answers queries from indexes at all. FerretDB (with its SQLite backend) speaks the
 * MongoDB wire protocol but scans the collection for every query except a lookup by `_id` alone
 * (indexed on the test servers' build, test/servers/ferretdb/build.sh; stock 1.24 scans for that
 * too, but stops at the match), so a few `_id` lookups beat one query on other fields there, and
 * the reverse holds on MongoDB. Operations that can go either way pick their strategy from this.
 */
import type { Db, MongoClient } from 'mongodb';

/** What a server can do, as far as the engine's strategies care. */
export interface ServerProfile {
  /** True when only `_id` lookups avoid a collection scan (FerretDB). */
  scansQueries: boolean;
}

const profiles = new WeakMap<MongoClient, Promise<ServerProfile>>();

/** The profile of the server behind `db`; `buildInfo` is asked once per client. A failed probe is asked again next time. */
export function serverProfile(db: Db): Promise<ServerProfile> {
  let found = profiles.get(db.client);
  if (!found) {
    found = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => ({ scansQueries: isFerretDb(info) }));
    found.catch(() => profiles.delete(db.client));
    profiles.set(db.client, found);
  }
  return found;
}

/** True for a `buildInfo` reply from FerretDB, which names itself there. */
function isFerretDb(buildInfo: Record<string, unknown>): boolean {
  return 'ferretdbVersion' in buildInfo || 'ferretdb' in buildInfo || JSON.stringify(buildInfo).toLowerCase().includes('ferretdb');
}
