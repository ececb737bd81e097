/**
 * Lists the keys of a local bucket in the order S3 uses (UTF-8 bytes), skipping folders that
 * cannot hold a key of the page asked for, so walking page after page does not rescan the
 * folders already returned.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Orders keys by their UTF-8 bytes, as S3 does (plain `<` on strings compares UTF-16 units). */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Whether the folder whose keys all start with `folderKey` can hold a key for this page. */
function folderMatters(folderKey: string, prefix: string, after: string | undefined): boolean {
  const matchesPrefix = folderKey.startsWith(prefix) || prefix.startsWith(folderKey);
  if (!matchesPrefix) return false;
  // Every key in the folder is <= `after` when the folder sorts before it and is not its ancestor.
  if (after !== undefined && compareKeys(folderKey, after) < 0 && !after.startsWith(folderKey)) return false;
  return true;
}

/**
 * Up to `limit + 1` keys under `prefix` that sort after `after`, sorted; the extra one tells the
 * caller another page exists. Only regular files count; symlinks and other entries are skipped.
 */
export async function collectKeys(
  bucketDir: string,
  prefix: string,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, folderKey: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A concurrent delete may remove an emptied sub-folder mid-walk; the bucket folder itself must exist.
      if (folderKey !== '' && isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const key = folderKey + entry.name;
      if (entry.isDirectory()) {
        if (folderMatters(`${key}/`, prefix, after)) await walk(path.join(dir, entry.name), `${key}/`);
      } else if (entry.isFile() && key.startsWith(prefix) && (after === undefined || compareKeys(key, after) > 0)) {
        found.push(key);
      }
    }
  }
  await walk(bucketDir, '');
  found.sort(compareKeys);
  return found.slice(0, limit + 1);
}
