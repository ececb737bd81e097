/**
 * One entry point from a connection to a store, so the connection pool does not need to know
 * which backend a `spacesConnections` entry (or the local folder) is.
 */
import { ValidationError } from '../errors.js';
import { parseEndpoint, requireText } from './connection-options.js';
import { lazyObjectStore, loadBackend } from './load-backend.js';
import { createLocalObjectStore } from './local/local-object-store.js';
import type { ObjectStore, ObjectStoreKind } from './object-store.js';

/** The local folder (`localStorage.basePath`). */
export interface LocalConnection {
  readonly kind: 'local';
  readonly basePath: string;
}

/**
 * A `spacesConnections` entry. For Azure, `accessKey` is the storage account name and
 * `secretKey` the account key; `region` and `forcePathStyle` are ignored.
 */
export interface RemoteConnection {
  /** Which backend; when absent, Azure for an Azure Blob endpoint ({@link isAzureEndpoint}), else S3. */
  readonly kind?: 's3' | 'azure';
  readonly endpoint: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly forcePathStyle?: boolean;
}

/** What {@link createObjectStore} accepts. */
export type ObjectStoreConnection = LocalConnection | RemoteConnection;

/** Host suffixes of Azure Blob endpoints: the public cloud, China and US Government. */
const AZURE_BLOB_HOSTS = ['.blob.core.windows.net', '.blob.core.chinacloudapi.cn', '.blob.core.usgovcloudapi.net'];

/** True when `endpoint` is an Azure Blob service URL such as `https://acct.blob.core.windows.net`. */
export function isAzureEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return AZURE_BLOB_HOSTS.some((suffix) => host.endsWith(suffix));
}

/** The backend a connection selects: its `kind` when given, else Azure for an Azure endpoint, else S3. */
export function objectStoreKindOf(connection: ObjectStoreConnection): ObjectStoreKind {
  const kind: unknown = connection.kind;
  if (kind === 's3' || kind === 'azure' || kind === 'local') return kind;
  if (kind !== undefined) {
    throw ValidationError.at(['kind'], `${JSON.stringify(kind)} is not a storage kind; use "s3", "azure" or "local"`);
  }
  return isAzureEndpoint((connection as RemoteConnection).endpoint) ? 'azure' : 's3';
}

/**
 * Creates the {@link ObjectStore} for a connection. The S3 and Azure backends (and their SDKs,
 * optional peer dependencies) are imported on first use; a missing SDK is a ConfigError naming
 * the package to install. The connection itself is checked now. Azurite and other Azure-compatible servers
 * on plain hosts need `kind: 'azure'`, since their endpoints look like any other URL.
 *
 * @example
 * ```ts
 * const store = createObjectStore({ endpoint: 'https://acct.blob.core.windows.net', region: 'westeurope', accessKey: 'acct', secretKey });
 * store.kind; // 'azure'
 * ```
 */
export function createObjectStore(connection: ObjectStoreConnection): ObjectStore {
  const kind = objectStoreKindOf(connection);
  if (connection.kind === 'local') return createLocalObjectStore({ basePath: connection.basePath });
  const { endpoint, region, accessKey, secretKey, forcePathStyle } = connection;
  parseEndpoint(endpoint);
  requireText('accessKey', accessKey);
  requireText('secretKey', secretKey);
  if (kind === 'azure') {
    return lazyObjectStore('azure', async () => {
      const { createAzureObjectStore } = await loadBackend('azure', () => import('./azure/azure-object-store.js'));
      return createAzureObjectStore({ endpoint, accountName: accessKey, accountKey: secretKey });
    });
  }
  requireText('region', region);
  return lazyObjectStore('s3', async () => {
    const { createS3ObjectStore } = await loadBackend('s3', () => import('./s3/s3-object-store.js'));
    return createS3ObjectStore({ endpoint, region, accessKey, secretKey, ...(forcePathStyle !== undefined ? { forcePathStyle } : {}) });
  });
}
