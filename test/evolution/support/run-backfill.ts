/**
 * A process that runs the meta backfill of `people` at revision 8 for the SIGKILL test, in
 * batches of 5, printing each progress line to stdout as it happens so the parent can kill it
 * part-way. Argument: the instance config as JSON (without collections).
 */
import { atRevision, initChronos, type ChronosConfig } from '../../../runtime/index.js';
import { peopleAt } from '../people-revisions.js';

const config = JSON.parse(process.argv[2] as string) as ChronosConfig;
const chronos = initChronos({ ...config, collections: [atRevision(peopleAt[8], 8)] });
const results = await chronos.admin.backfillMeta({ batchSize: 5, onProgress: (message) => process.stdout.write(`${message.trim()}\n`) });
process.stdout.write(`done ${JSON.stringify(results.map((r) => r.report))}\n`);
await chronos.admin.shutdown();
