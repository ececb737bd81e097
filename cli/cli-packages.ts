/**
 * The CLI's tools are optional peer dependencies of `chronos-db` (an app that only uses the
 * runtime installs none of them). A command checks for the ones it needs before it starts and
 * names what to install when one is missing, instead of failing deep inside an import.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** True when `name` resolves from the current folder (the app) or from this package. */
function resolvable(name: string): boolean {
  for (const from of [path.join(process.cwd(), 'package.json'), import.meta.url]) {
    try {
      createRequire(from).resolve(`${name}/package.json`);
      return true;
    } catch {
      // Try the next place; packages without an exported package.json are found by their entry.
      try {
        createRequire(from).resolve(name);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** Throws an error naming every missing package and the command that installs them all. */
export async function requireCliPackages(command: string, packages: readonly string[]): Promise<void> {
  const missing = packages.filter((name) => !resolvable(name));
  if (missing.length === 0) return;
  throw new Error(`${command} needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed: run \`npm install -D ${missing.join(' ')}\``);
}
