/**
 * Normal forms of server addresses, so the config checks compare where data goes rather than
 * what a connection is called: two `dbConnections` entries naming one MongoDB server (or two
 * `spacesConnections` entries naming one storage service) in different spellings compare equal.
 */
import { MongoClient } from 'mongodb';

/** Names of this machine's loopback interface, which all reach the same local server. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostName(host: string): string {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return LOOPBACK.has(lower) ? 'localhost' : lower;
}

/**
 * The servers of a `mongodb://` or `mongodb+srv://` connection string as `host:port` (host
 * lowercased, loopback names as `localhost`; the driver's own parser fills in port 27017), or
 * `srv:<host>` for an SRV record (which names a whole deployment), or `socket:<path>`.
 * Credentials, database and options are ignored; a string the driver cannot parse has none
 * (the schema refuses it first).
 *
 * @example
 * ```ts
 * mongoServerHosts('mongodb://u:p@DB1.example.com,db2.example.com:27018/app?replicaSet=rs');
 * // ['db1.example.com:27017', 'db2.example.com:27018']
 * ```
 */
export function mongoServerHosts(uri: string): string[] {
  let options: MongoClient['options'];
  try {
    options = new MongoClient(uri).options;
  } catch {
    return [];
  }
  if (options.srvHost !== undefined) return [`srv:${hostName(options.srvHost)}`];
  return options.hosts.map((h) => (h.socketPath !== undefined ? `socket:${h.socketPath}` : `${hostName(h.host ?? '')}:${h.port ?? 27017}`));
}

/**
 * One storage endpoint as `host:port/path` (host lowercased, loopback names as `localhost`, the
 * scheme's default port filled in, trailing `/` dropped, query and credentials ignored), or the
 * text as given when it is not a URL (the schema refuses those before this is used).
 *
 * @example
 * ```ts
 * storageEndpointKey('HTTPS://S3.Example.com/'); // 's3.example.com:443'
 * storageEndpointKey('http://127.0.0.1:10000/devstoreaccount1'); // 'localhost:10000/devstoreaccount1'
 * ```
 */
export function storageEndpointKey(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint;
  }
  const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : url.protocol === 'https:' ? '443' : '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${hostName(url.hostname)}:${port}${path}`;
}
