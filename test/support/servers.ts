/**
 * Addresses of the real servers the integration suites talk to. `npm test` starts them with
 * scripts/test-servers.sh and exports these variables; a suite run without them fails loudly
 * instead of skipping, so a missing server can never pass as a green run.
 */
export interface TestServers {
  mongoUri: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; region: string };
  azure: { endpoint: string; account: string; key: string };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with \`npm test\` (it starts the servers), or source .servers/env`);
  }
  return value;
}

/** Reads the server addresses from the environment; throws when one is missing. */
export function testServers(): TestServers {
  return {
    mongoUri: required('MONGODB_URI'),
    s3: {
      endpoint: required('CHRONOS_TEST_S3_ENDPOINT'),
      accessKey: required('CHRONOS_TEST_S3_ACCESS_KEY'),
      secretKey: required('CHRONOS_TEST_S3_SECRET_KEY'),
      region: 'us-east-1',
    },
    azure: {
      endpoint: required('CHRONOS_TEST_AZURE_ENDPOINT'),
      account: required('CHRONOS_TEST_AZURE_ACCOUNT'),
      key: required('CHRONOS_TEST_AZURE_KEY'),
    },
  };
}

let counter = 0;

/** A name no other suite or run uses: for databases, buckets and folders (lowercase, `-`-free for Mongo). */
export function uniqueName(prefix: string): string {
  counter += 1;
  const stamp = `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
  return `${prefix}_${stamp}`.toLowerCase();
}
