/**
 * Where the example finds MongoDB: `MONGODB_URI` when set (the test servers export it), else an
 * in-process mongod from mongodb-memory-server where one can be downloaded.
 */
export async function mongoUriForExample(): Promise<string> {
  const fromEnv = process.env['MONGODB_URI'];
  if (fromEnv) return fromEnv;
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await MongoMemoryServer.create();
    process.once('exit', () => void server.stop());
    return server.getUri();
  } catch (error) {
    throw new Error(
      `MONGODB_URI is not set and mongodb-memory-server could not start a mongod (${(error as Error).message}); run \`npm run demo\`, which starts the test servers first`,
      { cause: error },
    );
  }
}
