import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectObjectRequests, type DirectObjectRequests } from '../../runtime/storage/s3/s3-direct-requests.js';
import { testServers } from '../support/servers.js';
import { uniqueBucketName } from './bucket-names.js';
import { startFaultServer } from './fault-server.js';

function sdkClient(endpoint: string): S3Client {
  const { s3 } = testServers();
  return new S3Client({
    endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    maxAttempts: 1,
  });
}

describe('direct PutObject / GetObject (no command pipeline)', () => {
  let client: S3Client;
  let direct: DirectObjectRequests;
  const bucket = uniqueBucketName('direct');

  beforeAll(async () => {
    const { s3 } = testServers();
    client = sdkClient(s3.endpoint);
    direct = createDirectObjectRequests(client, new URL(s3.endpoint), s3.region);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((entry) => ({ Key: entry.Key! }));
    if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  });

  it.each(['plain/v0/item.json', 'with space/file name.txt', 'naïve/café ☕.json', "odd/!'()*+&=?#%.json"])(
    'writes "%s" so that the SDK reads back the same bytes and key, and reads it back itself',
    async (key) => {
      const body = new TextEncoder().encode(JSON.stringify({ key, n: 1 }));
      expect(await direct.put(bucket, key, body, 'application/json')).toBe(true);

      const viaSdk = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(viaSdk.ContentType).toBe('application/json');
      expect(await viaSdk.Body!.transformToString()).toBe(JSON.stringify({ key, n: 1 }));
      expect(await direct.get(bucket, key)).toEqual(body);
    },
  );

  it('answers undefined for a missing key, so the caller asks the SDK (which names the error)', async () => {
    expect(await direct.get(bucket, 'no/such/key.json')).toBeUndefined();
  });

  it('answers false / undefined when the server refuses or fails, after exactly one request', async () => {
    const server = await startFaultServer(503, '<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>');
    const failing = sdkClient(server.endpoint);
    try {
      const toFailing = createDirectObjectRequests(failing, new URL(server.endpoint), testServers().s3.region);
      expect(await toFailing.put('some-bucket', 'k', new Uint8Array([1]), 'application/json')).toBe(false);
      expect(await toFailing.get('some-bucket', 'k')).toBeUndefined();
      expect(server.requests()).toBe(2);
    } finally {
      failing.destroy();
      await server.close();
    }
  });

  it('answers false when the credentials are wrong (the signature is checked by the server)', async () => {
    const { s3 } = testServers();
    const wrong = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKey, secretAccessKey: `${s3.secretKey}-wrong` },
    });
    try {
      const withWrongKey = createDirectObjectRequests(wrong, new URL(s3.endpoint), s3.region);
      expect(await withWrongKey.put(bucket, 'denied.json', new Uint8Array([1]), 'application/json')).toBe(false);
    } finally {
      wrong.destroy();
    }
  });
});
