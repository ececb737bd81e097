/**
 * An instance whose Mongo server is away (at its first operation, or later)
 * recovers on its own once the server is back. A TCP proxy on loopback stands between Chronos
 * and the real test server and is switched off (every connection reset) and on again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { DatabaseError } from '../../runtime/errors.js';
import { isTransientError } from '../../runtime/retry/transient.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

const proxies: SwitchableProxy[] = [];
const opened: Chronos[] = [];

afterAll(async () => {
  for (const chronos of opened) await chronos.admin.shutdown();
  for (const proxy of proxies) await proxy.close();
});

/** A proxy in front of the test server, and the test server's URI rewritten to go through it. */
async function proxiedMongo(up: boolean): Promise<{ proxy: SwitchableProxy; uri: string }> {
  const real = new URL(testServers().mongoUri);
  const proxy = await startSwitchableProxy(`http://${real.host}`);
  proxies.push(proxy);
  proxy.setUp(up);
  const uri = new URL(real.toString());
  uri.host = new URL(proxy.endpoint).host;
  // Short waits so the outage is seen in seconds; the behaviour is the driver's default one.
  uri.searchParams.set('serverSelectionTimeoutMS', '1500');
  uri.searchParams.set('connectTimeoutMS', '1500');
  uri.searchParams.set('heartbeatFrequencyMS', '500');
  return { proxy, uri: uri.toString() };
}

function open(uri: string): Chronos {
  const config = testConfig('local');
  config.dbConnections = { mongo: { mongoUri: uri } };
  const chronos = initChronos(config);
  opened.push(chronos);
  return chronos;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail while the server is away');
}

describe('a Mongo connection that survives the server being away', () => {
  it('recovers the same instance when the server was away at its first operation', async () => {
    const { proxy, uri } = await proxiedMongo(false);
    const chronos = open(uri);
    const orders = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'orders' });

    const first = await failure(() => orders.create({ orderId: 'A-1', status: 'placed' }));
    expect(isTransientError(first), String(first)).toBe(true);
    expect(first).toBeInstanceOf(DatabaseError);
    // The driver used to keep its closed topology: every later call failed at once, forever.
    const second = await failure(() => orders.create({ orderId: 'A-1', status: 'placed' }));
    expect(isTransientError(second), String(second)).toBe(true);
    const down = await chronos.admin.health();
    expect(down.ok).toBe(false);
    expect(down.mongo[0]?.ok).toBe(false);

    proxy.setUp(true);
    const { id } = await orders.create({ orderId: 'A-1', status: 'placed' });
    expect(await orders.getLatest(id)).toMatchObject({ orderId: 'A-1', status: 'placed' });
    const up = await chronos.admin.health();
    expect(up.mongo[0]).toMatchObject({ ok: true });
    expect(up.ok).toBe(true);
    // Still the one shared client: nothing was closed or replaced on the failures.
    expect(chronos.admin.connectionStats().mongoClients).toBe(1);
  });

  it('recovers when the server goes away during operation and comes back', async () => {
    const { proxy, uri } = await proxiedMongo(true);
    const chronos = open(uri);
    const users = chronos.with({ databaseType: 'identities', tenantId: 'acme', collection: 'users' });
    const { id } = await users.create({ email: 'ada@acme.test' });
    const m = chronos.messaging('acme');
    await m.messages.save({ topic: 't', msgId: 'm1', payload: { n: 1 } });

    proxy.setUp(false);
    const error = await failure(() => users.getLatest(id));
    expect(isTransientError(error), String(error)).toBe(true);
    // Identities wrap driver and socket errors too: callers only ever see ChronosErrors.
    expect(error).toBeInstanceOf(DatabaseError);
    const messagingError = await failure(() => m.messages.get({ topic: 't', msgId: 'm1' }));
    expect(messagingError).toBeInstanceOf(DatabaseError);
    expect(isTransientError(messagingError), String(messagingError)).toBe(true);
    expect((await chronos.admin.health()).ok).toBe(false);

    proxy.setUp(true);
    // The driver's monitor finds the server again; give it a few heartbeats, without sleeping blind.
    await expect.poll(async () => (await chronos.admin.health()).ok, { timeout: 10_000, interval: 200 }).toBe(true);
    expect(await users.getLatest(id)).toMatchObject({ email: 'ada@acme.test' });
    expect((await m.messages.get({ topic: 't', msgId: 'm1' }))?.payload).toEqual({ n: 1 });
  });

  it('classifies a closed topology and raw socket errors as transient', async () => {
    const { MongoTopologyClosedError } = await import('mongodb');
    expect(isTransientError(new MongoTopologyClosedError())).toBe(true);
    expect(isTransientError(Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('bad input'), { code: 'EINVAL' }))).toBe(false);
  });
});
