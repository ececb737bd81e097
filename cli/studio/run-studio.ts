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
import { loadConfigModule } from '../../codegen/load/load-config.js';
import { loadDeclarations } from '../../codegen/load/load-declarations.js';
import { allowedHostsFor, startStudioServer } from './studio-server.js';
import { CliUsageError, withUsageErrors } from '../cli-args.js';

type Log = (line: string) => void;

function openBrowser(url: string, error: Log): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => error('could not open a browser: open the URL above yourself'));
  child.unref();
}

/** A failed listen as one line naming the fix (a taken port, a port below 1024, an address this machine lacks). */
function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return new CliUsageError(`port ${port} on ${host} is taken (another chronos studio?): pass --port 0 to pick a free port, or another --port N`);
  if (code === 'EACCES') return new CliUsageError(`no permission to listen on port ${port}: pass --port 0 or a port above 1023`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new CliUsageError(`cannot listen on ${host}: this machine has no such address; pass --host 127.0.0.1`);
  return e;
}

/** Parses the arguments, starts the Studio and resolves (to the exit code) when it is stopped with SIGINT or SIGTERM. */
export async function runStudioCommand(args: string[], log: Log, error: Log): Promise<number> {
  const { values } = withUsageErrors('studio', () =>
    parseArgs({
      args,
      options: {
        config: { type: 'string', default: 'chronos.config.ts' },
        schemas: { type: 'string' },
        port: { type: 'string', default: '4983' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-host': { type: 'string', multiple: true, default: [] },
        write: { type: 'boolean', default: false },
        'no-open': { type: 'boolean', default: false },
      },
    }),
  );
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new CliUsageError(`--port must be a port number (0 for any free port), got ${JSON.stringify(values.port)}`);
  const { config, schemasDir } = await loadConfigModule(values.config, values.schemas);
  const chronos = initChronos(config);
  // The declarations: the folder when one is named (or ./schemas exists), else the config's `collections`.
  const declarations = new Map<string, AnyCollectionDefinition>(chronos.declarations);
  const dir = schemasDir ?? 'schemas';
  if (existsSync(dir)) for (const d of await loadDeclarations(dir)) declarations.set(d.definition.name, d.definition);
  const studio = await startStudioServer({ chronos, declarations, write: values.write, host: values.host, port, allowHosts: values['allow-host'] }).catch(async (e: unknown) => {
    await chronos.admin.shutdown();
    throw listenError(e, values.host, port);
  });
  if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
    error(`warning: listening on ${values.host}, not only this machine; the token is all that guards it and travels unencrypted`);
    error(`  requests must name one of: ${[...allowedHostsFor(values.host, Number(new URL(studio.origin).port), values['allow-host'])].join(', ')} (add others with --allow-host NAME)`);
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
