import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, StorageError, ValidationError } from '../../runtime/errors.js';
import { createAzureObjectStore, type AzureObjectStoreOptions } from '../../runtime/storage/azure/azure-object-store.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { testServers } from '../support/servers.js';
import { uniqueBucketName } from './bucket-names.js';
import { refusedEndpoint, startFaultServer } from './fault-server.js';
import { expectRejected } from './contract-helpers.js';
import { describeObjectStoreContract } from './object-store.contract.js';

function connection(): AzureObjectStoreOptions {
  const { azure } = testServers();
  return { endpoint: azure.endpoint, accountName: azure.account, accountKey: azure.key };
}

/** The raw SDK client, for what the store does not offer (leases, removing a container). */
function rawService(): BlobServiceClient {
  const { endpoint, accountName, accountKey } = connection();
  return new BlobServiceClient(endpoint, new StorageSharedKeyCredential(accountName, accountKey));
}

describeObjectStoreContract('Azure Blob (Azurite)', { presign: 'http', keepsContentType: true, listOrder: 'utf16' }, async () => {
  const store = createAzureObjectStore(connection());
  const bucket = uniqueBucketName('contract');
  await store.ensureBucket(bucket);
  return {
    store,
    bucket,
    teardown: async () => {
      await rawService().getContainerClient(bucket).deleteIfExists();
      await store.close();
    },
  };
});

describe('Azure Blob object store', () => {
  let store: ObjectStore;
  let bucket: string;

  beforeAll(async () => {
    store = createAzureObjectStore(connection());
    bucket = uniqueBucketName('azure');
    await store.ensureBucket(bucket);
  });
  afterAll(async () => {
    await rawService().getContainerClient(bucket).deleteIfExists();
    await store.close();
  });

  describe('containers', () => {
    it('treats creating an existing container as done', async () => {
      await store.put(bucket, 'keep.txt', 'kept');
      await expect(store.ensureBucket(bucket)).resolves.toBeUndefined();
      expect(Buffer.from(await store.get(bucket, 'keep.txt')).toString()).toBe('kept');
    });

    it('refuses a container name Azure would refuse, before sending anything', async () => {
      for (const name of ['ab', 'Upper', 'has_underscore', 'double--dash', 'dot.ted', '-dash']) {
        await expect(store.ensureBucket(name)).rejects.toBeInstanceOf(ValidationError);
      }
    });

    it('reports a missing container on read as a StorageError that says to create it', async () => {
      const error = await expectRejected(store.get(uniqueBucketName('absent'), 'x'), StorageError);
      expect(error).not.toBeInstanceOf(NotFoundError);
      expect(error.message).toContain('ensureBucket');
    });
  });

  describe('batch delete', () => {
    it('reports a blob the batch could not delete (a leased blob) and still deletes the others', async () => {
      await store.put(bucket, 'leased/held', 'held');
      await store.put(bucket, 'leased/free', 'free');
      const lease = rawService().getContainerClient(bucket).getBlobClient('leased/held').getBlobLeaseClient();
      await lease.acquireLease(-1);
      try {
        const error = await expectRejected(store.deleteMany(bucket, ['leased/held', 'leased/free']), StorageError);
        expect(error.message).toContain('"leased/held"');
        expect(error.transient).toBe(false);
        expect(await store.head(bucket, 'leased/free')).toBeNull();
        expect(await store.head(bucket, 'leased/held')).not.toBeNull();
      } finally {
        await lease.releaseLease();
      }
    });
  });

  describe('failures', () => {
    it('reports a refused connection as a transient StorageError', async () => {
      const down = createAzureObjectStore({ ...connection(), endpoint: `${await refusedEndpoint()}/devstoreaccount1`, maxTries: 1 });
      const error = await expectRejected(down.get('some-container', 'k'), StorageError);
      expect(error.transient).toBe(true);
    });

    it('reports a 503 as a transient StorageError', async () => {
      const server = await startFaultServer(503, '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>busy</Message></Error>', {
        'x-ms-error-code': 'ServerBusy',
      });
      const flaky = createAzureObjectStore({ ...connection(), endpoint: `${server.endpoint}/devstoreaccount1`, maxTries: 1 });
      try {
        const error = await expectRejected(flaky.put('some-container', 'k', 'x'), StorageError);
        expect(error.transient).toBe(true);
      } finally {
        await server.close();
      }
    });

    it('reports a refused signature as a permanent StorageError', async () => {
      const wrongKey = createAzureObjectStore({ ...connection(), accountKey: Buffer.from('not the key').toString('base64'), maxTries: 1 });
      const error = await expectRejected(wrongKey.get(bucket, 'keep.txt'), StorageError);
      expect(error.transient).toBe(false);
    });
  });
});
