/**
 * A MongoDB that is down is reported within a bound, not after the driver's 30 s default: the
 * pool's clients wait `serverSelectionTimeoutMS` (5 s unless configured) for a server, the
 * engine does not retry a failed server selection on top of it, and `health()` bounds every probe
 * by its own timeout, all probes at once. The down server is a closed loopback port
 * (127.0.0.1:1, which refuses connections); a storage endpoint that accepts connections and never
 * answers is a loopback socket server of the test's own.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { ConnectionPool } from '../../runtime/connections/connection-pool.js';
import { DEFAULT_SERVER_SELECTION_TIMEOUT_MS, mongoClientOptions, uriSetsOption } from '../../runtime/connections/mongo-client-options.js';
import { ConfigError, DatabaseError, ValidationError } from '../../runtime/errors.js';
import { isTransientError } from '../../runtime/retry/transient.js';
import { retryTransient } from '../../runtime/retry/retry.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';

const CLOSED_PORT_URI = 'mongodb://127.0.0.1:1/';
const opened: Chronos[] = [];
const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];

afterAll(async () => {
  for (const { server, sockets } of servers) {
    // A server's close waits for its connections, which this one never ends by itself.
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  for (const chronos of opened) await chronos.admin.shutdown();
});

function open(config: ChronosConfig): Chronos {
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
  throw new Error('expected the call to fail while the server is down');
}

/** A TCP server on loopback that accepts connections and never answers: a hung endpoint. */
async function silentEndpoint(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ server, sockets });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('the server-selection wait of the pool\'s Mongo clients', () => {
  it('is 5 s by default, the configured value when set, and the URI\'s own when only the URI sets it', () => {
    const one = (connection: { mongoUri: string; serverSelectionTimeoutMS?: number }) => mongoClientOptions({ dbConnections: { main: connection } }, connection.mongoUri);
    expect(DEFAULT_SERVER_SELECTION_TIMEOUT_MS).toBe(5_000);
    expect(one({ mongoUri: 'mongodb://h:27017/db' })).toEqual({ serverSelectionTimeoutMS: 5_000 });
    expect(one({ mongoUri: 'mongodb://h:27017/db?serverSelectionTimeoutMS=1200' })).toEqual({});
    expect(one({ mongoUri: 'mongodb://h:27017/db?ServerSelectionTimeoutMS=1200', serverSelectionTimeoutMS: 800 })).toEqual({ serverSelectionTimeoutMS: 800 });
    // Two connections naming one URI share its client: the longer wait is kept.
    const shared = { a: { mongoUri: 'mongodb://h/' , serverSelectionTimeoutMS: 800 }, b: { mongoUri: 'mongodb://h/', serverSelectionTimeoutMS: 2_000 } };
    expect(mongoClientOptions({ dbConnections: shared }, 'mongodb://h/')).toEqual({ serverSelectionTimeoutMS: 2_000 });
    expect(uriSetsOption('mongodb://h/?maxPoolSize=1', 'serverSelectionTimeoutMS')).toBe(false);
  });

  it('reaches the driver: the clients the pool creates carry it', async () => {
    const config = testConfig('local');
    config.dbConnections = { mongo: { mongoUri: 'mongodb://127.0.0.1:1/' }, fromUri: { mongoUri: 'mongodb://127.0.0.1:2/?serverSelectionTimeoutMS=1234' }, configured: { mongoUri: 'mongodb://127.0.0.1:3/', serverSelectionTimeoutMS: 700 } };
    const pool = new ConnectionPool(parseConfig(config), () => {
      throw new Error('no storage in this test');
    });
    try {
      expect(pool.mongoClient('mongodb://127.0.0.1:1/').options.serverSelectionTimeoutMS).toBe(5_000);
      expect(pool.mongoClient('mongodb://127.0.0.1:2/?serverSelectionTimeoutMS=1234').options.serverSelectionTimeoutMS).toBe(1_234);
      expect(pool.mongoClient('mongodb://127.0.0.1:3/').options.serverSelectionTimeoutMS).toBe(700);
    } finally {
      await pool.close();
    }
  });

  it('refuses a value that is not a positive whole number of milliseconds, naming the field', () => {
    for (const bad of [0, -5, 1.5, '5000']) {
      const config = testConfig('local');
      config.dbConnections = { mongo: { mongoUri: testServers().mongoUri, serverSelectionTimeoutMS: bad as number } };
      let caught: unknown;
      try {
        parseConfig(config);
      } catch (error) {
        caught = error;
      }
      expect(caught, String(bad)).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).issues.map((i) => i.path.join('.'))).toContain('dbConnections.mongo.serverSelectionTimeoutMS');
    }
  });
});

describe('a Mongo server that is down', () => {
  it('fails the first operation with a transient DatabaseError after the configured wait, not the driver\'s 30 s', async () => {
    const config = testConfig('local');
    config.dbConnections = { mongo: { mongoUri: CLOSED_PORT_URI, serverSelectionTimeoutMS: 500 } };
    const chronos = open(config);
    const orders = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'orders' });
    const error = await failure(() => orders.create({ orderId: 'A-1', status: 'placed' }));
    expect(error).toBeInstanceOf(DatabaseError);
    expect(isTransientError(error), String(error)).toBe(true);
    // The driver's own selection, bounded by the 500 ms its client carries (see above), ended the
    // call; the engine does not look again (next test).
    expect((error as DatabaseError).cause).toBeInstanceOf(MongoServerSelectionError);
  });

  it('is not looked for again by the engine\'s retry: a failed server selection already waited its bound', async () => {
    let selections = 0;
    const selection = await failure(() =>
      retryTransient('reading a head', async () => {
        selections += 1;
        throw new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:1', { type: 'Unknown', servers: new Map() } as never);
      }, { budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 1 }),
    );
    expect(selections).toBe(1);
    expect(selection).toBeInstanceOf(DatabaseError);
    expect(isTransientError(selection)).toBe(true);
    // Other transient failures are still retried within the budget.
    let resets = 0;
    await retryTransient('reading a head', async () => {
      resets += 1;
      if (resets < 3) throw new MongoNetworkError('connection reset');
    }, { budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 1 });
    expect(resets).toBe(3);
  });

  it('is reported not ok by health() within its timeout, next to a storage endpoint that never answers', async () => {
    const config = testConfig('s3');
    config.dbConnections = { mongo: { mongoUri: CLOSED_PORT_URI } };
    config.spacesConnections!['s3']!.endpoint = await silentEndpoint();
    const chronos = open(config);
    const health = await chronos.admin.health({ timeoutMs: 300 });
    expect(health.ok).toBe(false);
    expect(health.mongo).toEqual([expect.objectContaining({ name: 'mongo', ok: false })]);
    expect(health.storage).toEqual([expect.objectContaining({ name: 's3', ok: false, error: 'no answer within 300 ms' })]);
    await expect(chronos.admin.health({ timeoutMs: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('chronos migrate against a MongoDB that is down', () => {
  it('records the database as failed after the configured wait, not the driver default of 30 s', async () => {
    const { migrate } = await import('../../cli/migrate/migrate.js');
    const target = { databaseType: 'runtime', tier: 'tenant', tenantId: 't1', dbConnRef: 'mongo', mongoUri: CLOSED_PORT_URI, dbName: 'down_db' } as const;
    const config = { dbConnections: { mongo: { mongoUri: CLOSED_PORT_URI, serverSelectionTimeoutMS: 400 } } };
    const handed: unknown[] = [];
    const clientOptions = (uri: string) => {
      const options = mongoClientOptions(config as never, uri);
      handed.push(options);
      return options;
    };
    const result = await migrate({ targets: [target], collections: [], clientOptions });
    expect(result.databases).toEqual([expect.objectContaining({ dbName: 'down_db', lock: 'failed', error: expect.stringMatching(/ECONNREFUSED|Server selection/i) })]);
    // Its one client waited the 400 ms asked for, not the driver's 30 s default.
    expect(handed).toEqual([{ serverSelectionTimeoutMS: 400 }]);
  });
});
