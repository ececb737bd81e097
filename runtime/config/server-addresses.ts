/**
 * Normal forms of server addresses, so the config checks compare where data goes rather than
 * what a connection is called: two `dbConnections` entries naming one MongoDB server (or two
 * `spacesConnections` entries naming one storage service) in different spellings compare equal.
 */

/** Names of this machine's loopback interface, which all reach the same local server. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostName(host: string): string {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return LOOPBACK.has(lower) ? 'localhost' : lower;
}

/** A host as written, percent-decoded (a Unix socket path is written encoded). */
function decodeHost(host: string): string {
  try {
    return decodeURIComponent(host);
  } catch {
    return host;
  }
}

/**
 * The servers of a `mongodb://` or `mongodb+srv://` connection string as `host:port` (port 27017
 * when absent, host lowercased, loopback names as `localhost`), or `srv:<host>` for an SRV
 * record (which names a whole deployment). Credentials, database and options are ignored.
 * Connection strings percent-encode `@`, `/` and `:` inside credentials, so the first `/` or
 * `?` ends the host list and the last `@` before it ends the credentials.
 *
 * @example
 * ```ts
 * mongoServerHosts('mongodb://u:p@DB1.example.com,db2.example.com:27018/app?replicaSet=rs');
 * // ['db1.example.com:27017', 'db2.example.com:27018']
 * ```
 */
export function mongoServerHosts(uri: string): string[] {
  const srv = uri.startsWith('mongodb+srv://');
  const rest = uri.slice(srv ? 'mongodb+srv://'.length : 'mongodb://'.length);
  const end = rest.search(/[/?]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts
    .split(',')
    .filter((host) => host !== '')
    .map((host) => {
      const decoded = decodeHost(host);
      if (srv) return `srv:${hostName(decoded)}`;
      // An IPv6 address is bracketed (`[::1]:27017`), so only a port can end in `:<digits>`.
      const port = /^(.*):(\d+)$/.exec(decoded);
      if (port) return `${hostName(port[1] as string)}:${Number(port[2])}`;
      return `${hostName(decoded)}:27017`;
    });
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
