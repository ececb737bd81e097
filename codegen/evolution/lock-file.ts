/**
 * The declaration history `chronos generate` keeps: `chronos.lock.json` beside the
 * declarations, committed with them. For every collection it lists each revision of its
 * declaration with the JSON Schemas zod 4 writes for it (`z.toJSONSchema()`: what it stores and
 * what it accepts), so later revisions can be compared with it and old revisions' types can be
 * emitted after their zod code is gone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JsonSchema } from './compatibility.js';

/** The lock file's name, in the declarations folder. */
const LOCK_FILE = 'chronos.lock.json';

/** How a revision differs from the one before it. */
export type RevisionChange = 'initial' | 'compatible' | 'breaking';

/** One recorded revision of a collection's declaration. */
export interface LockedRevision {
  revision: number;
  change: RevisionChange;
  /** What the revision stores and reads back (`z.toJSONSchema(schema, { io: 'output' })`). */
  output: JsonSchema;
  /** What the revision accepts (`io: 'input'`): the type an upcaster producing it returns. */
  input: JsonSchema;
}

/** Every collection's recorded revisions, oldest first. */
export interface LockFile {
  lockfileVersion: 1;
  collections: Record<string, { revisions: LockedRevision[] }>;
}

/** An empty history. */
export function emptyLock(): LockFile {
  return { lockfileVersion: 1, collections: {} };
}

/** Where the lock file of a declarations folder is. */
export function lockPath(schemasDir: string): string {
  return path.join(schemasDir, LOCK_FILE);
}

/** The lock file's text: stable key order as built, two-space JSON, a final newline. */
export function renderLock(lock: LockFile): string {
  const sorted: LockFile = { lockfileVersion: 1, collections: Object.fromEntries(Object.entries(lock.collections).sort(([a], [b]) => (a < b ? -1 : 1))) };
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** Reads and checks the lock file of a declarations folder; an empty history when there is none. */
export async function readLock(schemasDir: string): Promise<LockFile> {
  const file = lockPath(schemasDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    throw error;
  }
  return parseLock(text, file);
}

/** Parses lock file text; throws naming the file and what is wrong with it. */
export function parseLock(text: string, file: string): LockFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}): restore it from version control`, { cause: e });
  }
  const lock = value as Partial<LockFile>;
  if (lock?.lockfileVersion !== 1 || typeof lock.collections !== 'object' || lock.collections === null) {
    throw new Error(`${file} is not a Chronos lock file (expected lockfileVersion 1 and collections): restore it from version control`);
  }
  for (const [name, entry] of Object.entries(lock.collections)) {
    const revisions = entry?.revisions;
    if (!Array.isArray(revisions) || revisions.length === 0 || revisions.some((r, i) => r?.revision !== i + 1 || r.input === undefined || r.output === undefined)) {
      throw new Error(`${file}: the revisions of "${name}" must be numbered 1, 2, 3… each with its input and output schema: restore it from version control`);
    }
  }
  return lock as LockFile;
}

/** The lock file's text on disk, or undefined when there is none. */
export async function lockTextOnDisk(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Writes the lock file when its text changed; true when it did. */
export async function writeLock(file: string, text: string): Promise<boolean> {
  if ((await lockTextOnDisk(file)) === text) return false;
  await writeFile(file, text, 'utf8');
  return true;
}
