import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createObjectStore, isAzureEndpoint, objectStoreKindOf } from '../../runtime/storage/create-object-store.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { testServers } from '../support/servers.js';
import { uniqueBucketName } from './bucket-names.js';

const remote = { region: 'us-east-1', accessKey: 'a', secretKey: 'b' };

async function roundTrip(store: ObjectStore, bucket: string): Promise<string> {
  await store.ensureBucket(bucket);
  await store.put(bucket, 'probe.txt', `hello ${store.kind}`);
  const text = Buffer.from(await store.get(bucket, 'probe.txt')).toString();
  await store.delete(bucket, 'probe.txt');
  return text;
}

describe('choosing a backend from a connection', () => {
  it('recognises Azure Blob endpoints by host and nothing else', () => {
    expect(isAzureEndpoint('https://acct.blob.core.windows.net')).toBe(true);
    expect(isAzureEndpoint('https://ACCT.BLOB.CORE.WINDOWS.NET/')).toBe(true);
    expect(isAzureEndpoint('https://acct.blob.core.chinacloudapi.cn')).toBe(true);
    expect(isAzureEndpoint('https://s3.us-east-1.amazonaws.com')).toBe(false);
    expect(isAzureEndpoint('https://blob.core.windows.net.evil.example')).toBe(false);
    expect(isAzureEndpoint('http://127.0.0.1:10000/devstoreaccount1')).toBe(false);
    expect(isAzureEndpoint('not a url')).toBe(false);
  });

  it('lets an explicit kind win over the endpoint', () => {
    expect(objectStoreKindOf({ ...remote, endpoint: 'http://127.0.0.1:10000/devstoreaccount1', kind: 'azure' })).toBe('azure');
    expect(objectStoreKindOf({ ...remote, endpoint: 'https://acct.blob.core.windows.net', kind: 's3' })).toBe('s3');
    expect(objectStoreKindOf({ ...remote, endpoint: 'https://acct.blob.core.windows.net' })).toBe('azure');
    expect(objectStoreKindOf({ ...remote, endpoint: 'https://nyc3.digitaloceanspaces.com' })).toBe('s3');
  });

  it('refuses an unknown kind, naming the field', () => {
    const connection = { ...remote, endpoint: 'https://storage.googleapis.com', kind: 'gcs' } as unknown as Parameters<typeof createObjectStore>[0];
    expect(() => createObjectStore(connection)).toThrow(ValidationError);
    expect(() => createObjectStore(connection)).toThrow(/kind/);
  });

  it('opens a working S3 store for an S3 connection', async () => {
    const { s3 } = testServers();
    const store = createObjectStore({ endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKey, secretKey: s3.secretKey });
    const bucket = uniqueBucketName('select');
    expect(store.kind).toBe('s3');
    expect(await roundTrip(store, bucket)).toBe('hello s3');
    await store.close();
    const raw = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey } });
    await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
    raw.destroy();
  });

  it('opens a working Azure store for a connection of kind azure, taking the account from accessKey', async () => {
    const { azure } = testServers();
    const store = createObjectStore({ kind: 'azure', endpoint: azure.endpoint, region: 'local', accessKey: azure.account, secretKey: azure.key });
    const bucket = uniqueBucketName('select');
    expect(store.kind).toBe('azure');
    expect(await roundTrip(store, bucket)).toBe('hello azure');
    await store.close();
    const raw = new BlobServiceClient(azure.endpoint, new StorageSharedKeyCredential(azure.account, azure.key));
    await raw.getContainerClient(bucket).deleteIfExists();
  });

  it('opens a working local store for the local folder', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'chronos-select-'));
    try {
      const store = createObjectStore({ kind: 'local', basePath: root });
      expect(store.kind).toBe('local');
      expect(await roundTrip(store, 'select-local')).toBe('hello local');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
