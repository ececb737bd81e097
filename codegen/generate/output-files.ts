/** Writing generated files, and comparing them with what is on disk (`--check`). */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATED_MARKER } from './header.js';

/** How the files on disk differ from the generated ones. */
export interface OutputDiff {
  /** Generated files that are missing or differ on disk. */
  stale: string[];
  /** Generated files on disk that generation no longer produces. */
  orphaned: string[];
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function generatedOnDisk(outDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const generated: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.ts')).sort()) {
    if ((await readIfExists(path.join(outDir, name)))?.startsWith(GENERATED_MARKER)) generated.push(name);
  }
  return generated;
}

/** Compares `files` (name → content) with `outDir`; hand-written files there are left out of it. */
export async function diffOutput(outDir: string, files: ReadonlyMap<string, string>): Promise<OutputDiff> {
  const stale: string[] = [];
  for (const [name, content] of files) {
    if ((await readIfExists(path.join(outDir, name))) !== content) stale.push(name);
  }
  const orphaned = (await generatedOnDisk(outDir)).filter((name) => !files.has(name));
  return { stale, orphaned };
}

/** Writes what differs and removes orphaned generated files; returns what it changed. */
export async function writeOutput(outDir: string, files: ReadonlyMap<string, string>): Promise<OutputDiff> {
  const diff = await diffOutput(outDir, files);
  await mkdir(outDir, { recursive: true });
  for (const name of diff.stale) await writeFile(path.join(outDir, name), files.get(name)!, 'utf8');
  for (const name of diff.orphaned) await rm(path.join(outDir, name));
  return diff;
}
