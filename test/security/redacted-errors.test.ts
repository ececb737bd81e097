/**
 * No credential reaches a caller through an error: a Chronos error redacts its message and, in
 * place, its cause chain, so `util.inspect(err, { depth: 10 })` of a wrapped driver or SDK
 * failure shows no Mongo URI password, S3 secret key, Azure account key or SAS signature.
 * Failures are real (wrong keys, URLs with credentials against the test servers) except where a
 * driver error quoting a connection string is injected.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MongoError, MongoServerError } from 'mongodb';
import { DatabaseError, StorageError, ValidationError } from '../../runtime/errors.js';
import { toDatabaseError } from '../../runtime/mongo/database-errors.js';
import { isDuplicateKeyError } from '../../runtime/mongo/duplicate-key.js';
import { asChronosError } from '../../runtime/error-boundary.js';
import { describeError } from '../../runtime/retry/transient.js';
import { redactSecrets } from '../../runtime/security/redact-secrets.js';
import { createObjectStore } from '../../runtime/storage/create-object-store.js';
import { testServers } from '../support/servers.js';

function shown(error: unknown): string {
  return inspect(error, { depth: 10 });
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}

describe('redactSecrets', () => {
  it('masks URL passwords, SAS and presigned signatures, account keys and Authorization headers, and nothing else', () => {
    expect(redactSecrets('mongodb://app:pa55@db1:27017,db2/x?authSource=admin')).toBe('mongodb://app:***@db1:27017,db2/x?authSource=admin');
    expect(redactSecrets('https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2030&sig=AbC%2Bd%3D&sp=r')).toBe('https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2030&sig=***&sp=r');
    expect(redactSecrets('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5==;EndpointSuffix=core.windows.net')).toBe('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;EndpointSuffix=core.windows.net');
    expect(redactSecrets('GET https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abcd&X-Amz-Expires=60')).toBe('GET https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Expires=60');
    expect(redactSecrets("headers: { authorization: 'SharedKey acct:c2ln' }")).toBe("headers: { authorization: '***' }");
    for (const plain of ['mongodb://db1:27017/x', 'http://user@host/path', 'record 65a1 of orders failed: E11000 duplicate key', 'a:b@c']) {
      expect(redactSecrets(plain)).toBe(plain);
    }
  });
});

describe('wrapped errors show no credential under util.inspect', () => {
  it('a Mongo URI password in a driver error and its cause chain', () => {
    const uri = 'mongodb://app:MongoPw-9f@db.example.com:27017/prod';
    const inner = new Error(`getaddrinfo ENOTFOUND while connecting to ${uri}`);
    const driver = new MongoError(`failed to connect to ${uri}`, { cause: inner });
    const wrapped = toDatabaseError(driver, 'identities.create');
    expect(wrapped).toBeInstanceOf(DatabaseError);
    expect(shown(wrapped)).not.toContain('MongoPw-9f');
    expect(shown(wrapped)).toContain('app:***@db.example.com');
    // Scrubbed in place: the cause is still the driver's error, classifiable as before.
    expect((wrapped as DatabaseError).cause).toBe(driver);
    expect(driver).toBeInstanceOf(MongoError);
  });

  it('keeps the fields classification reads (duplicate-key code, class) on a scrubbed cause', () => {
    const duplicate = new MongoServerError({ message: 'E11000 duplicate key at mongodb://u:DupPw@h/x', code: 11000 });
    const wrapped = asChronosError(duplicate, 'claiming v1');
    expect(shown(wrapped)).not.toContain('DupPw');
    expect(isDuplicateKeyError((wrapped as { cause?: unknown }).cause)).toBe(true);
  });

  it('a frozen cause that cannot be scrubbed in place is replaced by a sanitized copy with its code', () => {
    const frozen = Object.freeze(Object.assign(new Error('connect to mongodb://app:FrozenPw@h failed'), { code: 'ECONNREFUSED' }));
    const wrapped = new DatabaseError('x failed', { cause: frozen, transient: true });
    expect(shown(wrapped)).not.toContain('FrozenPw');
    expect((wrapped.cause as { code?: unknown }).code).toBe('ECONNREFUSED');
    expect((wrapped.cause as Error).message).toBe('connect to mongodb://app:***@h failed');
  });

  it('an echoed endpoint in a ValidationError (message and issues)', () => {
    const error = ValidationError.at(['endpoint'], '"ftp://u:FtpPw@h/?sig=SasSig1" is not an http(s) URL');
    expect(shown(error)).not.toMatch(/FtpPw|SasSig1/);
  });

  it('the recorded error of the fallback queue', () => {
    const info = describeError(new Error('PUT https://h/b/k?X-Amz-Signature=QueueSig failed'), new Date(0));
    expect(info.message).not.toContain('QueueSig');
  });

  it('an S3 secret key and an endpoint with credentials (a real refused request)', async () => {
    const s3 = testServers().s3;
    const endpoint = new URL(s3.endpoint);
    const store = createObjectStore({ endpoint: `${endpoint.protocol}//urluser:UrlPw-S3@${endpoint.host}`, region: 'us-east-1', accessKey: s3.accessKey, secretKey: 'S3-Wrong-Secret-Key' });
    const error = await failure(() => store.put('chronos-redact', 'k', 'x', {}));
    expect(error).toBeInstanceOf(StorageError);
    const text = shown(error);
    expect(text).not.toContain('UrlPw-S3');
    expect(text).not.toContain('S3-Wrong-Secret-Key');
    expect(text).not.toContain(s3.secretKey);
  });

  it('an Azure account key, a SAS in the endpoint and user:pass@ (real refused requests)', async () => {
    const azure = testServers().azure;
    const endpoint = new URL(azure.endpoint);
    const wrongKey = Buffer.from('Azure-Wrong-Account-Key').toString('base64');
    for (const url of [`${azure.endpoint}?sv=2022-11-02&sig=AzSasSig-7`, `${endpoint.protocol}//acct:AzUrlPw@${endpoint.host}${endpoint.pathname}`]) {
      const store = createObjectStore({ kind: 'azure', endpoint: url, region: 'local', accessKey: azure.account, secretKey: wrongKey });
      const error = await failure(() => store.put('chronos-redact', 'k', 'x', {}));
      expect(error).toBeInstanceOf(StorageError);
      const text = shown(error);
      for (const secret of ['AzSasSig-7', 'AzUrlPw', wrongKey, azure.key]) expect(text, url).not.toContain(secret);
    }
  });
});
