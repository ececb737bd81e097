/**
 * The `chronos` command line: `chronos generate` (typed repositories and index definitions from
 * the declarations), `chronos migrate` (apply the declared indexes to every configured
 * database) and `chronos studio` (a local web UI over the records and their versions). Kept out
 * of the runtime entry. The CLI's own tool (tsx, which loads TypeScript declarations and
 * configs) is an optional peer dependency: apps that only use the runtime do not install it, and
 * a command that needs it says what to install.
 */
import { parseArgs } from 'node:util';
import { CliUsageError, withUsageErrors } from './cli-args.js';
import { requireCliPackages } from './cli-packages.js';

const GENERATE_USAGE = `Usage: chronos generate [--schemas DIR] [--out DIR] [--runtime-import MODULE] [--check] [--watch]

Reads every collection declaration (defineCollection) exported by the modules under --schemas
(default: schemas) and writes typed repositories, index definitions, each collection's revision
types and the \`collections\` list to --out (default: generated). Records each declaration's
revisions in chronos.lock.json beside the declarations (commit it); a breaking change without
an upcaster is refused, naming the field, its old and new type and the fix.
  --runtime-import MODULE  module the generated code imports the runtime from (default: chronos-db)
  --check                  write nothing; exit 1 naming the files (or lock file) that are stale
  --watch                  regenerate whenever a declaration changes
Needs tsx to load TypeScript declarations: npm install -D tsx`;

const MIGRATE_USAGE = `Usage: chronos migrate [--config FILE] [--schemas DIR] [--dry-run] [--drop-extra] [--json]

Diffs the declared indexes against every database the config routes to and applies the plan:
new indexes first, then the backfill of head meta where a declaration changed (resumable), then
the drops.
  --config FILE   a module whose default export (or \`config\` export) is the initChronos
                  configuration (default: chronos.config.ts); it may export \`schemas\`, the
                  declarations folder relative to it, or give the declarations in \`collections\`
  --schemas DIR   the declarations folder (overrides the config file)
  --dry-run       print the plan only
  --drop-extra    also drop indexes Chronos did not create
  --json          print the result as JSON
Needs tsx to load TypeScript files: npm install -D tsx`;

const STUDIO_USAGE = `Usage: chronos studio [--config FILE] [--schemas DIR] [--port N] [--host ADDRESS] [--allow-host NAME]... [--write] [--no-open]

A local web UI over the records and their versions. Prints a URL with a fresh access token and
opens it in a browser.
  --config FILE      the module \`chronos migrate\` reads (default: chronos.config.ts)
  --schemas DIR      the declarations folder (overrides the config file)
  --port N           port to listen on (default: 4983; 0 picks a free one)
  --host ADDRESS     address to bind (default: 127.0.0.1); another address keeps the Host and
                     Origin checks: requests must name it (or a loopback name, or --allow-host)
  --allow-host NAME  a further host name the browser may use to reach the Studio (repeatable)
  --write            allow restores (read-only otherwise)
  --no-open          do not open a browser
Needs tsx to load TypeScript files: npm install -D tsx`;

const USAGE = `Usage:
  chronos generate [--schemas DIR] [--out DIR] [--runtime-import MODULE] [--check] [--watch]
  chronos migrate [--config FILE] [--schemas DIR] [--dry-run] [--drop-extra] [--json]
  chronos studio [--config FILE] [--schemas DIR] [--port N] [--host ADDRESS] [--allow-host NAME]... [--write] [--no-open]
  chronos <command> --help`;

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const error = (line: string) => process.stderr.write(`${line}\n`);
  if (command === 'generate') {
    if (wantsHelp(rest)) {
      log(GENERATE_USAGE);
      return 0;
    }
    const { values } = withUsageErrors('generate', () =>
      parseArgs({
        args: rest,
        options: {
          schemas: { type: 'string', default: 'schemas' },
          out: { type: 'string', default: 'generated' },
          'runtime-import': { type: 'string', default: 'chronos-db' },
          check: { type: 'boolean', default: false },
          watch: { type: 'boolean', default: false },
        },
      }),
    );
    await requireCliPackages('chronos generate', ['tsx']);
    const { generateCommandText, runGenerate } = await import('../codegen/generate/run-generate.js');
    const options = {
      schemasDir: values.schemas,
      outDir: values.out,
      runtimeImport: values['runtime-import'],
      command: generateCommandText(values.schemas, values.out, values['runtime-import']),
      check: values.check,
      watch: values.watch,
    };
    if (options.watch) {
      const { watchInProcess } = await import('../codegen/generate/watch-generate.js');
      watchInProcess(options, log, error);
      return new Promise<number>(() => {});
    }
    return runGenerate(options, log, error);
  }
  if (command === 'migrate') {
    if (wantsHelp(rest)) {
      log(MIGRATE_USAGE);
      return 0;
    }
    const { runMigrateCommand } = await import('./migrate/run-migrate.js');
    return runMigrateCommand(rest, log, error);
  }
  if (command === 'studio') {
    if (wantsHelp(rest)) {
      log(STUDIO_USAGE);
      return 0;
    }
    // The word diffs of the record page (jsdiff) are the Studio's own dependency, not the runtime's.
    await requireCliPackages('chronos studio', ['diff']);
    const { runStudioCommand } = await import('./studio/run-studio.js');
    return runStudioCommand(rest, log, error);
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    log(USAGE);
    return 0;
  }
  error(`unknown command "${command}"\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`chronos: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof CliUsageError ? 2 : 1;
  },
);
