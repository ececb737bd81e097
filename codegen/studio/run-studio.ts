/**
 * The `chronos studio` command: loads the config module `chronos migrate` reads (and the
 * declarations, when its folder exists), starts the Studio's server, prints the URL with its
 * access token and opens it in a browser unless `--no-open`. Runs until interrupted.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initChronos } from '../../runtime/chronos.js';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { loadConfigModule } from '../load/load-config.js';
import { loadDeclarations } from '../load/load-declarations.js';
import { startStudioServer } from './studio-server.js';

type Log = (line: string) => void;

function openBrowser(url: string, error: Log): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => error('could not open a browser: open the URL above yourself'));
  child.unref();
}

/** Parses the arguments, starts the Studio and resolves (to the exit code) when it is stopped with SIGINT or SIGTERM. */
export async function runStudioCommand(args: string[], log: Log, error: Log): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'chronos.config.ts' },
      schemas: { type: 'string' },
      port: { type: 'string', default: '4983' },
      host: { type: 'string', default: '127.0.0.1' },
      write: { type: 'boolean', default: false },
      'no-open': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0 for any free port), got ${JSON.stringify(values.port)}`);
  const { config, schemasDir } = await loadConfigModule(values.config, values.schemas);
  const declarations = new Map<string, AnyCollectionDefinition>();
  if (existsSync(schemasDir)) for (const d of await loadDeclarations(schemasDir)) declarations.set(d.definition.name, d.definition);
  const chronos = initChronos(config);
  const studio = await startStudioServer({ chronos, declarations, write: values.write, host: values.host, port });
  if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
    error(`warning: listening on ${values.host}, not only this machine; the token is all that guards it and travels unencrypted`);
  }
  log(`Chronos Studio (${values.write ? 'read-write: restore is enabled' : 'read-only'}; ${declarations.size} declaration(s))`);
  log(`  ${studio.url}`);
  log('Press Ctrl+C to stop.');
  if (!values['no-open']) openBrowser(studio.url, error);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await studio.close();
  await chronos.admin.shutdown();
  return 0;
}
