/**
 * Database names every supported server accepts. MongoDB refuses empty names, names of 64 bytes
 * or more and the characters `/\. "$*<>:|?` and NUL; FerretDB accepts only letters, digits, `_`
 * and `-` (it refuses `(`, `+`, spaces and non-ASCII letters too). A config is checked against
 * the rule both share, so a name that works in development works in production.
 */
import type { ErrorIssue } from '../errors.js';
import type { ParsedChronosConfig } from './schema.js';
import { eachDatabase } from './each-database.js';

/** The portable database name: 1 to 63 of `A-Z a-z 0-9 _ -`. */
const PORTABLE_DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;

type Path = Array<string | number>;

function why(name: string): string {
  if (name.length === 0) return 'is empty';
  if (Buffer.byteLength(name, 'utf8') > 63) return `is ${Buffer.byteLength(name, 'utf8')} bytes long (at most 63)`;
  const bad = [...name].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? '';
  return `contains ${JSON.stringify(bad)}`;
}

/** Every database name in the config that a server would refuse, each with its path and the fix. */
export function checkDatabaseNames(config: ParsedChronosConfig): ErrorIssue[] {
  const names: Array<[Path, string]> = [];
  for (const { path, settings } of eachDatabase(config)) {
    names.push([[...path, 'dbName'], settings.dbName]);
    if (settings.analyticsDbName !== undefined) names.push([[...path, 'analyticsDbName'], settings.analyticsDbName]);
  }
  return names
    .filter(([, name]) => !PORTABLE_DATABASE_NAME.test(name))
    .map(([path, name]) => ({
      path,
      message: `database name ${JSON.stringify(name)} ${why(name)}: MongoDB and FerretDB both accept only 1 to 63 of A-Z a-z 0-9 _ - (e.g. ${JSON.stringify(name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 63) || 'app_db')})`,
    }));
}
