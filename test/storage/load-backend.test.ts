/**
 * Storage SDKs are optional peers: a backend is imported on first use, and a missing SDK is a
 * ConfigError naming the packages to install (checked here with the errors Node really raises
 * for a missing package, in ESM and in CommonJS; the packed-package test installs an app
 * without any SDK).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/errors.js';
import { lazyObjectStore, loadBackend } from '../../runtime/storage/load-backend.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';

async function nodeError(kind: 'esm' | 'cjs', name: string): Promise<unknown> {
  if (kind === 'esm') return import(/* @vite-ignore */ name).catch((e: unknown) => e);
  const { createRequire } = await import('node:module');
  try {
    createRequire(import.meta.url)(name);
  } catch (e) {
    return e;
  }
  throw new Error('expected the require to fail');
}

describe('loading a storage backend', () => {
  for (const kind of ['esm', 'cjs'] as const) {
    it(`names the packages to install when the SDK is missing (${kind})`, async () => {
      const missing = await nodeError(kind, '@aws-sdk/client-s3-not-installed');
      const renamed = Object.assign(missing as Error, { message: (missing as Error).message.replaceAll('@aws-sdk/client-s3-not-installed', '@aws-sdk/client-s3') });
      const error = await loadBackend('s3', () => Promise.reject(renamed)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/npm install @aws-sdk\/client-s3 @aws-sdk\/s3-request-presigner/);
    });
  }

  it('lets other failures through unchanged', async () => {
    const boom = new Error('boom');
    await expect(loadBackend('azure', () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it('opens the backend on first use only, once', async () => {
    let opened = 0;
    const inner = { kind: 's3', get: async () => new Uint8Array([1]), close: async () => {} } as unknown as ObjectStore;
    const store = lazyObjectStore('s3', async () => {
      opened += 1;
      return inner;
    });
    expect(opened).toBe(0);
    await store.get('b', 'k');
    await store.get('b', 'k');
    expect(opened).toBe(1);
  });
});
