/**
 * Storage SDKs are optional peer dependencies: an app installs `@aws-sdk/client-s3` (and its
 * presigner) only when it uses S3, `@azure/storage-blob` only when it uses Azure Blob, the way
 * Drizzle and Kysely treat database drivers. A backend's module, and with it its SDK, is
 * imported on its first use; a missing SDK is a {@link ConfigError} naming what to install.
 */
import { ConfigError } from '../errors.js';
import type { ObjectStore, ObjectStoreKind } from './object-store.js';

/** The npm packages each remote backend needs beside `chronos-db`. */
const BACKEND_PACKAGES: Readonly<Record<'s3' | 'azure', readonly string[]>> = {
  s3: ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
  azure: ['@azure/storage-blob'],
};

const LABEL = { s3: 'S3-compatible', azure: 'Azure Blob' } as const;

/** True when `error` says one of `packages` could not be found (ESM or CommonJS resolution). */
function isMissingPackage(error: unknown, packages: readonly string[]): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && packages.some((name) => message.includes(`'${name}'`) || message.includes(`"${name}"`));
}

/**
 * Imports a backend with `importer`; a missing SDK becomes a {@link ConfigError} that names the
 * packages and the command that installs them. Other failures pass through unchanged.
 */
export async function loadBackend<T>(kind: 's3' | 'azure', importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const packages = BACKEND_PACKAGES[kind];
    if (!isMissingPackage(error, packages)) throw error;
    throw new ConfigError(
      [{ path: ['spacesConnections'], message: `${LABEL[kind]} storage needs ${packages.join(' and ')}, which ${packages.length > 1 ? 'are' : 'is'} not installed: run \`npm install ${packages.join(' ')}\`` }],
      `Missing storage SDK for ${LABEL[kind]} storage`,
    );
  }
}

/**
 * An {@link ObjectStore} whose backend is opened on the first call that needs it (the SDK import
 * happens then). Every method waits for it; `close` before any use closes nothing.
 */
export function lazyObjectStore(kind: ObjectStoreKind, open: () => Promise<ObjectStore>): ObjectStore {
  let opened: Promise<ObjectStore> | undefined;
  const store = (): Promise<ObjectStore> => {
    opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
  return {
    kind,
    ensureBucket: async (bucket) => (await store()).ensureBucket(bucket),
    put: async (bucket, key, body, options) => (await store()).put(bucket, key, body, options),
    get: async (bucket, key) => (await store()).get(bucket, key),
    head: async (bucket, key) => (await store()).head(bucket, key),
    delete: async (bucket, key) => (await store()).delete(bucket, key),
    deleteMany: async (bucket, keys) => (await store()).deleteMany(bucket, keys),
    list: async (bucket, options) => (await store()).list(bucket, options),
    presignGet: async (bucket, key, ttl) => (await store()).presignGet(bucket, key, ttl),
    close: async () => {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
