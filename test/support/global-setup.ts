/**
 * Finds the servers for a test run started directly with `npx vitest` (the `npm test` script
 * exports them already). MongoDB: `MONGODB_URI` when set; otherwise a real mongod from
 * mongodb-memory-server where one can be downloaded; otherwise the FerretDB that
 * scripts/test-servers.sh provisions (as on these machines, which cannot download mongod).
 * S3 and Azure always come from that script.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const REQUIRED = ['MONGODB_URI', 'CHRONOS_TEST_S3_ENDPOINT', 'CHRONOS_TEST_AZURE_ENDPOINT'];

type Stop = () => Promise<void>;

async function tryMemoryServer(): Promise<{ uri: string; stop: Stop } | undefined> {
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await MongoMemoryServer.create();
    return { uri: server.getUri(), stop: async () => void (await server.stop()) };
  } catch (error) {
    console.warn(`[global-setup] mongodb-memory-server cannot start here (${(error as Error).message.split('\n')[0]}); using the script's FerretDB`);
    return undefined;
  }
}

function loadScriptServers(): void {
  execFileSync('bash', [resolve(root, 'scripts/test-servers.sh'), 'start'], { stdio: 'inherit' });
  for (const line of readFileSync(resolve(root, '.servers/env'), 'utf8').split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (match && process.env[match[1] as string] === undefined) process.env[match[1] as string] = match[2];
  }
}

/** Vitest global setup: fills the server variables that are missing; returns the teardown. */
export default async function setup(): Promise<Stop | undefined> {
  if (REQUIRED.every((name) => process.env[name])) return undefined;
  let stop: Stop | undefined;
  if (!process.env['MONGODB_URI']) {
    const memory = await tryMemoryServer();
    if (memory) {
      process.env['MONGODB_URI'] = memory.uri;
      stop = memory.stop;
    }
  }
  loadScriptServers();
  return stop;
}
