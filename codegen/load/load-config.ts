/**
 * Loads the configuration module the CLI commands share (`chronos migrate`, `chronos studio`):
 * a TypeScript or JavaScript module whose default export (or `config` export) is the Chronos
 * configuration. It may also export `schemas`, the declarations folder relative to the module.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { CliUsageError } from '../../cli/cli-args.js';
import { importModule } from './load-declarations.js';

/** What a config module gives a command. */
export interface LoadedConfigModule {
  /** The configuration as exported (not yet validated: `initChronos` / `parseConfig` do that). */
  config: ChronosConfig;
  /** The declarations folder: `--schemas`, else the module's `schemas` export; undefined when neither names one. */
  schemasDir: string | undefined;
}

/**
 * Imports `file` and returns its configuration and declarations folder.
 *
 * @throws CliUsageError when the file does not exist; Error naming the file when it exports no configuration.
 */
export async function loadConfigModule(file: string, schemasOverride?: string): Promise<LoadedConfigModule> {
  if (!existsSync(file)) {
    throw new CliUsageError(`no config file ${file} in ${process.cwd()}: pass --config FILE (a module whose default export is the initChronos configuration) or create ${file}`);
  }
  const module = configModule(await importModule(file));
  const config = module.default ?? module.config;
  if (!config) throw new Error(`${file} exports no configuration: export it as default or as \`config\``);
  const schemasDir = schemasOverride ?? (typeof module.schemas === 'string' ? path.resolve(path.dirname(file), module.schemas) : undefined);
  return { config: config as ChronosConfig, schemasDir };
}

/**
 * The exports of the config module. In a CommonJS app the file is compiled to CommonJS, and
 * `import()` hands its whole `exports` object over as `default` (`export default config` is then
 * `default.default`).
 */
function configModule(loaded: Record<string, unknown>): Record<string, unknown> {
  const outer = loaded.default as Record<string, unknown> | undefined;
  const compiledCjs = typeof outer === 'object' && outer !== null && outer.__esModule === true;
  return compiledCjs ? { ...outer, ...Object.fromEntries(Object.entries(loaded).filter(([k]) => k !== 'default')) } : loaded;
}
