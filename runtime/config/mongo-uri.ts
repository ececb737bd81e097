/**
 * A `mongoUri` is parsed when the configuration is, by the MongoDB driver's own parser (the
 * `MongoClient` constructor parses synchronously and opens nothing), so a malformed connection
 * string is a ConfigError at `initChronos` naming its path, not a driver error at the first
 * `chronos.with()`. The message never quotes the password.
 */
import { isIP } from 'node:net';
import { MongoClient } from 'mongodb';
import { REDACTED, redactSecrets } from '../security/redact-secrets.js';

/** A host name (the driver itself lets spaces and other stray characters through); IP addresses are checked by `isIP`. */
const HOST_NAME = /^[\p{L}\p{N}_~%-]+(?:\.[\p{L}\p{N}_~%-]+)*\.?$/u;

/** The password of `uri`'s user info, as written and decoded, to keep it out of any message. */
function passwordsOf(uri: string): string[] {
  const match = /^[a-z+]+:\/\/[^/?#@]*?:([^/?#]*)@/i.exec(uri);
  if (!match?.[1]) return [];
  const raw = match[1];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed percent-encoding: only the raw form can appear.
  }
  return [...new Set([raw, decoded])].filter((p) => p.length > 0);
}

function withoutPasswords(text: string, uri: string): string {
  let out = redactSecrets(text);
  for (const password of passwordsOf(uri)) out = out.split(password).join(REDACTED);
  return out;
}

/**
 * Why `uri` is not a usable MongoDB connection string (with the driver's reason, password
 * removed), or undefined when it parses.
 *
 * @example
 * ```ts
 * mongoUriProblem('mongodb://host:99999'); // 'is not a valid MongoDB connection string: ...'
 * ```
 */
export function mongoUriProblem(uri: string): string | undefined {
  const form = 'expected mongodb://[user:password@]host[:port][,host...][/db][?options] or mongodb+srv://[user:password@]host[/db][?options]';
  let client: MongoClient;
  try {
    client = new MongoClient(uri);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return `is not a valid MongoDB connection string (${withoutPasswords(reason, uri)}): ${form}`;
  }
  const hosts = client.options.srvHost !== undefined ? [client.options.srvHost] : client.options.hosts.map((h) => h.host).filter((h) => h !== undefined);
  const bad = hosts.find((host) => isIP(host.replace(/^\[|\]$/g, '')) === 0 && !HOST_NAME.test(host));
  if (bad !== undefined) return `is not a valid MongoDB connection string (host ${JSON.stringify(withoutPasswords(bad, uri))} is not a host name or address): ${form}`;
  return undefined;
}
