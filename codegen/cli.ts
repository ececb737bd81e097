/**
 * The `chronos` command line: `chronos generate` (typed repositories and index definitions from
 * the declarations), `chronos migrate` (apply the declared indexes to every configured
 * database) and `chronos studio` (a local web UI over the records and their versions). Kept out of the runtime entry so applications never load ts-morph.
 */
import { parseArgs } from 'node:util';
import { generateCommandText, runGenerate, watchGenerate } from './generate/run-generate.js';

const USAGE = `Usage:
  chronos generate [--schemas DIR] [--out DIR] [--runtime-import MODULE] [--check] [--watch]
  chronos migrate [--config FILE] [--schemas DIR] [--dry-run] [--drop-extra] [--json]
  chronos studio [--config FILE] [--schemas DIR] [--port N] [--host 127.0.0.1] [--write] [--no-open]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const error = (line: string) => process.stderr.write(`${line}\n`);
  if (command === 'generate') {
    const { values } = parseArgs({
      args: rest,
      options: {
        schemas: { type: 'string', default: 'schemas' },
        out: { type: 'string', default: 'generated' },
        'runtime-import': { type: 'string', default: 'chronos-db' },
        check: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
      },
    });
    const options = {
      schemasDir: values.schemas,
      outDir: values.out,
      runtimeImport: values['runtime-import'],
      command: generateCommandText(values.schemas, values.out, values['runtime-import']),
      check: values.check,
      watch: values.watch,
    };
    if (options.watch) {
      watchGenerate(options, argv, log);
      return new Promise<number>(() => {});
    }
    return runGenerate(options, log, error);
  }
  if (command === 'migrate') {
    const { runMigrateCommand } = await import('./migrate/run-migrate.js');
    return runMigrateCommand(rest, log, error);
  }
  if (command === 'studio') {
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
    process.exitCode = 1;
  },
);
