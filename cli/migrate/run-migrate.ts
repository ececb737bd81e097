/**
 * The `chronos migrate` command. The config file (`--config`, default `chronos.config.ts`) is a
 * module whose default export (or `config` export) is the Chronos configuration; it may also
 * export `schemas`, the declarations folder relative to the config file. `--schemas DIR`
 * overrides that; without either, the config's `collections` are used, else `schemas/` in the
 * current folder.
 */
import { parseArgs } from 'node:util';
import { withUsageErrors } from '../cli-args.js';
import { declarationsOf, parseConfig } from '../../runtime/config/parse-config.js';
import { loadConfigModule } from '../../codegen/load/load-config.js';
import { loadDeclarations } from '../../codegen/load/load-declarations.js';
import { migrate, type BackfillRunner, type IndexResult, type MigrateResult } from './migrate.js';
import { mongoClientOptions } from '../../runtime/connections/mongo-client-options.js';
import { listDatabaseTargets } from './targets.js';
import { initChronos } from '../../runtime/chronos.js';
import { atRevision, type AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { readLock } from '../../codegen/evolution/lock-file.js';
import { currentRevisions } from '../../codegen/evolution/plan-revisions.js';

type Log = (line: string) => void;

const SYMBOL: Record<IndexResult['action'], string> = { create: '+', drop: '-', change: '~', keep: '=', foreign: '!' };

function keyText(key: Record<string, unknown>): string {
  return `{ ${Object.entries(key).map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;
}

/** The plan and its outcome, grouped by database and collection; unchanged indexes are counted, not listed. */
export function formatResult(result: MigrateResult): string[] {
  const lines: string[] = [result.dryRun ? 'chronos migrate: plan (dry run, nothing changed)' : 'chronos migrate: result'];
  const totals = new Map<string, number>();
  for (const db of result.databases) {
    lines.push(`${db.dbConnRef}/${db.dbName} (${db.targets.join(', ')})${db.error ? `: ${db.lock === 'busy' ? 'SKIPPED' : 'FAILED'}: ${db.error}` : ''}`);
    let collection = '';
    for (const index of db.indexes) {
      totals.set(index.status, (totals.get(index.status) ?? 0) + 1);
      if (index.action === 'keep') continue;
      if (index.collection !== collection) {
        collection = index.collection;
        lines.push(`  ${collection}`);
      }
      const suffix = index.error ? `: ${index.error}` : index.action === 'foreign' ? ' (not created by Chronos; left alone, --drop-extra drops it)' : '';
      lines.push(`    ${SYMBOL[index.action]} ${index.name} ${keyText(index.key)} ${index.status}${suffix}`);
    }
  }
  for (const db of result.databases) {
    for (const { plan, report } of db.backfills ?? []) {
      const done = report
        ? `: ${report.examined} examined, ${report.updated} updated${report.movedOn ? `, ${report.movedOn} moved on meanwhile` : ''}${report.failed.length ? `, ${report.failed.length} FAILED (first: ${report.failed[0]?.message.split('\n')[0]})` : ''}`
        : ' planned';
      lines.push(`  backfill ${db.dbName}.${plan.collection}_head meta: ${plan.heads} heads (${plan.reason}${plan.resumeAfter ? `, after ${plan.resumeAfter}` : ''})${done}`);
    }
  }
  const summary = [...totals.entries()].sort().map(([status, n]) => `${n} ${status}`).join(', ');
  lines.push(`${result.ok ? 'ok' : 'FAILED'}: ${result.databases.length} database(s); ${summary || 'no indexes'}`);
  return lines;
}

/** The declarations of a folder at the revisions its lock file records (what the generated `collections` carry). */
async function atLockedRevisions(schemasDir: string): Promise<AnyCollectionDefinition[]> {
  const revisions = currentRevisions(await readLock(schemasDir));
  return (await loadDeclarations(schemasDir)).map(({ definition }) => {
    const revision = revisions.get(definition.name);
    return revision === undefined ? definition : atRevision(definition, revision);
  });
}

/** Parses the arguments, runs the migration and prints it; resolves to the exit code. */
export async function runMigrateCommand(args: string[], log: Log, error: Log): Promise<number> {
  const { values } = withUsageErrors('migrate', () =>
    parseArgs({
      args,
      options: {
        config: { type: 'string', default: 'chronos.config.ts' },
        schemas: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'drop-extra': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }),
  );
  const { config, schemasDir } = await loadConfigModule(values.config, values.schemas);
  const parsed = parseConfig(config);
  // The declarations: the folder when one is named, else the config's `collections`, else ./schemas.
  const declared = schemasDir === undefined && parsed.collections !== undefined ? [...declarationsOf(parsed).values()] : undefined;
  const collections = declared ?? (await atLockedRevisions(schemasDir ?? 'schemas'));
  const chronos = initChronos({ ...config, collections });
  const backfill: BackfillRunner = (dbName, dryRun, onProgress) => chronos.admin.backfillMeta({ dbName, dryRun, ...(onProgress && { onProgress }) });
  let result: MigrateResult;
  try {
    result = await migrate({
      targets: listDatabaseTargets(parsed),
      collections,
      dryRun: values['dry-run'],
      dropExtra: values['drop-extra'],
      onProgress: error,
      backfill,
      clientOptions: (uri) => mongoClientOptions(parsed, uri),
      subsystems: {
        ...(parsed.fallback?.enabled && { fallbackDeadLetterCollection: parsed.fallback.deadLetterCollection }),
        identityIndexedProps: (collection) => parsed.collectionMaps[collection]?.indexedProps ?? [],
      },
    });
  } finally {
    await chronos.admin.shutdown();
  }
  if (values.json) log(JSON.stringify(result, null, 2));
  else for (const line of formatResult(result)) log(line);
  return result.ok ? 0 : 1;
}
