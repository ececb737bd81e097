/**
 * `chronos.withFallback(ctx)` and `chronos.fallback` over the real servers, with an outage
 * between Chronos and the S3 server made by a switchable TCP proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { ValidationError } from '../../runtime/errors.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

let proxy: SwitchableProxy;
let chronos: Chronos;

beforeAll(async () => {
  proxy = await startSwitchableProxy(testServers().s3.endpoint);
  const config = testConfig('s3', { fallback: { enabled: true, maxRetries: 5, retryDelayMs: 1, maxDelayMs: 5 } });
  config.spacesConnections!['s3']!.endpoint = proxy.endpoint;
  chronos = initChronos(config);
});

afterAll(async () => {
  await chronos.admin.shutdown();
  await proxy.close();
});

describe('chronos.withFallback', () => {
  const ctx = { databaseType: 'runtime' as const, tenantId: 'acme', collection: 'orders' };

  it('writes straight through while storage is up, saying it was not queued', async () => {
    const result = await chronos.withFallback(ctx).create({ orderId: 'direct', status: 'new' });
    expect(result).toMatchObject({ queued: false, ov: 0 });
  });

  it('queues a create while storage is unreachable, then replays it once when it is back', async () => {
    const orders = chronos.withFallback(ctx);
    proxy.setUp(false);
    const queued = await orders.create({ orderId: 'during-outage', status: 'new' });
    expect(queued).toMatchObject({ queued: true, kind: 'create' });
    if (!queued.queued) throw new Error('expected a queued write');
    const plain = chronos.with(ctx);
    proxy.setUp(true);
    expect((await chronos.fallback.pending()).flatMap((p) => p.ops).map((op) => op._id)).toContain(queued.opId);
    await chronos.fallback.drain();
    await chronos.fallback.drain();
    const record = await plain.getLatest(queued.id);
    expect(record).toMatchObject({ orderId: 'during-outage', _system: { ov: 0 } });
    expect((await plain.history(queued.id)).map((v) => v.ov)).toEqual([0]);
    expect((await chronos.fallback.pending()).flatMap((p) => p.ops)).toEqual([]);
  });

  it('refuses bad input before queueing anything, even during an outage', async () => {
    proxy.setUp(false);
    try {
      await expect(chronos.withFallback(ctx).create({ _system: { ov: 9 } } as never)).rejects.toBeInstanceOf(ValidationError);
      expect((await chronos.fallback.pending()).flatMap((p) => p.ops)).toEqual([]);
    } finally {
      proxy.setUp(true);
    }
  });
});
