/**
 * A write queued by the fallback during a storage outage records, when it is replayed, the
 * revision of the declaration it was written under. Real servers, with the outage made by a
 * switchable TCP proxy in front of the S3 server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { atRevision, initChronos, type Chronos } from '../../runtime/index.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';
import { peopleAt, recordAt } from './people-revisions.js';

let proxy: SwitchableProxy;
let chronos: Chronos;

beforeAll(async () => {
  proxy = await startSwitchableProxy(testServers().s3.endpoint);
  const config = testConfig('s3', { fallback: { enabled: true, maxRetries: 5, retryDelayMs: 1, maxDelayMs: 5 }, collections: [atRevision(peopleAt[8], 8)] });
  config.spacesConnections!['s3']!.endpoint = proxy.endpoint;
  chronos = initChronos(config);
});

afterAll(async () => {
  await chronos.admin.shutdown();
  await proxy.close();
});

it('a replayed create records the current revision', async () => {
  const ctx = { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'people' } as const;
  // Written while storage is up, so the bucket exists before the outage.
  await chronos.with(ctx).create(recordAt[8](29));
  proxy.setUp(false);
  const queued = await chronos.withFallback(ctx).create(recordAt[8](30));
  proxy.setUp(true);
  if (!queued.queued) throw new Error('expected a queued write');
  await chronos.fallback.drain();
  await chronos.fallback.drain();
  expect((await chronos.fallback.deadLetters()).flatMap((d) => d.letters)).toEqual([]);
  expect((await chronos.with(ctx).history(queued.id)).map((v) => [v.ov, v.revision])).toEqual([[0, 8]]);
});
