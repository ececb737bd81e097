/**
 * A writer process for the SIGKILL soak (`sigkill-soak.test.ts`): writes forever, mixing update,
 * enrich, create and createMany over a pool of records, and prints one `ack <json>` line per
 * acknowledged version (`{ id, ov, n }`, where `n` is a marker unique to that write and stored in
 * it). The parent kills it with SIGKILL at random moments and checks every acknowledged version.
 * Arguments: MongoDB URI, database name, bucket, collection, writer name, seed record ids (comma-separated).
 */
import { MongoClient } from 'mongodb';
import { createCollectionOps } from '../../../runtime/ops/collection-ops.js';
import { resolveCollectionSettings } from '../../../runtime/ops/context.js';
import { createS3ObjectStore } from '../../../runtime/storage/s3/s3-object-store.js';

const [uri, dbName, bucket, collection, writer, seed] = process.argv.slice(2) as [string, string, string, string, string, string];
const client = new MongoClient(uri);
await client.connect();
const store = createS3ObjectStore({
  endpoint: process.env.CHRONOS_TEST_S3_ENDPOINT as string,
  region: 'us-east-1',
  accessKey: process.env.CHRONOS_TEST_S3_ACCESS_KEY as string,
  secretKey: process.env.CHRONOS_TEST_S3_SECRET_KEY as string,
});
const ops = createCollectionOps({
  db: client.db(dbName),
  store,
  bucket,
  collection,
  routeInfo: { dbName, databaseType: 'runtime', tier: 'tenant' },
  settings: resolveCollectionSettings({ indexedProps: ['n'] }),
  observers: [],
  // Short leases, so a killed writer's claims are settled within the run.
  leaseMs: 1_000,
  clockSkewMs: 200,
});
const pool = seed.split(',');
const ack = (id: string, ov: number, n: string): void => void process.stdout.write(`ack ${JSON.stringify({ id, ov, n })}\n`);
const pick = (): string => pool[Math.floor(Math.random() * pool.length)] as string;

for (let count = 0; ; count += 1) {
  const n = `${writer}-${count}`;
  const dice = Math.random();
  try {
    if (dice < 0.35) {
      const id = pick();
      ack(id, (await ops.update(id, { n, by: writer })).ov, n);
    } else if (dice < 0.7) {
      const id = pick();
      ack(id, (await ops.enrich(id, { n })).ov, n);
    } else if (dice < 0.85) {
      const { id, ov } = await ops.create({ n, by: writer });
      pool.push(id);
      ack(id, ov, n);
    } else {
      const created = await ops.createMany([0, 1, 2].map((i) => ({ n: `${n}.${i}`, by: writer })));
      created.forEach((c, i) => {
        pool.push(c.id);
        ack(c.id, c.ov, `${n}.${i}`);
      });
    }
  } catch (e) {
    // Refused or unknown outcomes are allowed (a conflict after the write budget, say); only acknowledged versions count.
    process.stdout.write(`refused ${(e as { code?: string }).code ?? 'error'}\n`);
  }
}
