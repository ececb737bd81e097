/**
 * Loads the configuration module the CLI commands share (`chronos migrate`, `chronos studio`):
 * a TypeScript or JavaScript module whose default export (or `config` export) is the Chronos
 * configuration. It may also export `schemas`, the declarations folder relative to the module.
 */
import path from 'node:path';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { importModule } from './load-declarations.js';

/** What a config module gives a command. */
export interface LoadedConfigModule {
  /** The configuration as exported (not yet validated: `initChronos` / `parseConfig` do that). */
  config: ChronosConfig;
  /** The declarations folder: `--schemas`, else the module's `schemas` export, else `schemas/`. */
  schemasDir: string;
}

/**
 * Imports `file` and returns its configuration and declarations folder.
 *
 * @throws Error naming the file when it exports no configuration.
 */
export async function loadConfigModule(file: string, schemasOverride?: string): Promise<LoadedConfigModule> {
  const module = await importModule(file);
  const config = module.default ?? module.config;
  if (!config) throw new Error(`${file} exports no configuration: export it as default or as \`config\``);
  const schemasDir = schemasOverride ?? (typeof module.schemas === 'string' ? path.resolve(path.dirname(file), module.schemas) : 'schemas');
  return { config: config as ChronosConfig, schemasDir };
}
