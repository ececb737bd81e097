/**
 * The cv allocator (runtime/ops/store/cv-allocator.ts) on the real server: blocks reserved with
 * one `$inc`, cvs unique across handles, and `drawMany` taking a large need in one reservation.
 */
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CV_BLOCK_SIZE, CvAllocator } from '../../runtime/ops/store/cv-allocator.js';
import { VersionStore } from '../../runtime/ops/store/version-store.js';
import { mongoUri } from '../support/fresh-db.js';
import { uniqueName } from '../support/servers.js';

describe('cv allocator', () => {
  let client: MongoClient;
  let db: Db;
  const reservations: string[] = [];

  beforeAll(async () => {
    client = new MongoClient(mongoUri(), { monitorCommands: true });
    await client.connect();
    db = client.db(uniqueName('cv_alloc'));
    client.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.commandName === 'findAndModify' && event.databaseName === db.databaseName) reservations.push(String(event.command.findAndModify));
    });
  });

  afterAll(async () => {
    await client.close();
  });

  function allocator(name: string): CvAllocator {
    return new CvAllocator(db.collection(`${name}_counter`), new VersionStore(db, `${name}_ver`));
  }

  it('draws a block with one reservation and hands out increasing cvs from it', async () => {
    const cvs = allocator('single');
    reservations.length = 0;
    const drawn: number[] = [];
    for (let i = 0; i < CV_BLOCK_SIZE + 1; i += 1) drawn.push(await cvs.draw());
    expect(drawn).toEqual(Array.from({ length: CV_BLOCK_SIZE + 1 }, (_, i) => i + 1));
    expect(reservations).toHaveLength(2);
  });

  it('takes 500 cvs for createMany in one reservation, and two handles never share a cv', async () => {
    const first = allocator('many');
    const second = allocator('many');
    reservations.length = 0;
    const a = await first.drawMany(500);
    expect(reservations).toHaveLength(1);
    const b = await second.drawMany(10);
    const c = [await first.draw(), await second.draw()];
    const all = [...a, ...b, ...c];
    expect(new Set(all).size).toBe(all.length);
    expect(a).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
});
