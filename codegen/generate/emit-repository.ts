/**
 * Writes one collection's repository: an interface with the collection's exact method signatures,
 * merged with a class over the non-generic `DeclaredRepository` that does the work. Every type
 * named here is a plain per-collection type, so an application's type-check never instantiates
 * a generic repository per collection (the cost that grew with the number of collections).
 */
import type { LoadedDeclaration } from '../load/load-declarations.js';
import { literal } from './literal.js';
import { namesOf } from './naming.js';
import { VariableDeclarationKind, type StatementCollector } from './statements.js';
import { ZodTypeRenderer, propertyName } from './zod-to-ts.js';

type Schema = Parameters<ZodTypeRenderer['members']>[0];

/** The runtime types the repository interface names (imported type-only). */
export const REPOSITORY_TYPE_IMPORTS = ['CreateManyOptions', 'CreateOptions', 'CreateResult', 'DeleteResult', 'EnrichOptions', 'ReadOptions', 'RestoreObjectOptions', 'RestoreObjectTarget', 'UpdateResult', 'VersionInfo', 'WriteOptions'];

/** The types a collection with base64 props adds for presigned reads. */
export const PRESIGNED_TYPE_IMPORTS = ['PresignedReadOptions', 'PresignedUrl'];

/** Generated names of the types this emitter adds to a collection module. */
function repositoryNames(collection: string) {
  const base = namesOf(collection);
  const stem = base.data.slice(0, -'Data'.length);
  return { ...base, patch: `${stem}Patch`, page: `${stem}Page`, presigned: `${stem}PresignedRecord` };
}

const param = (name: string, type: string, optional = false) => ({ name, type, hasQuestionToken: optional });

function method(name: string, docs: string, parameters: ReturnType<typeof param>[], returnType: string) {
  return { name, docs: [docs], parameters, returnType };
}

/** The read methods, with an overload for presigned reads when the collection has base64 props. */
function readMethods(record: string, presigned: string | undefined) {
  const reads: Array<[string, string, ReturnType<typeof param>[]]> = [
    ['getLatest', 'The latest version, or null.', [param('id', 'string')]],
    ['getVersion', 'One version by its ov, or null.', [param('id', 'string'), param('ov', 'number')]],
    ['getAsOf', 'The version that was current at `at`, or null.', [param('id', 'string'), param('at', 'string | Date')]],
  ];
  return reads.flatMap(([name, docs, params]) => [
    ...(presigned ? [method(name, `${docs} With \`presign: true\`, base64 props hold presigned URLs.`, [...params, param('options', 'PresignedReadOptions')], `Promise<${presigned} | null>`)] : []),
    method(name, docs, [...params, param('options', 'ReadOptions', true)], `Promise<${record} | null>`),
  ]);
}

/** The entity methods, typed by the declared mappings. */
function entityMethods(n: ReturnType<typeof repositoryNames>) {
  return [
    method('insertWithEntities', 'Validates the record and its entities, saves each entity to its own collection, then creates the record.', [param('input', n.input), param('actor', 'string', true), param('reason', 'string', true)], `Promise<{ mainRecordId: string; entityResults: ${n.entityResults} }>`),
    method('getWithEntities', 'Reads a record and the latest version of each entity it references.', [param('id', 'string'), param('options', 'ReadOptions', true)], `Promise<{ mainRecord: ${n.record} | null; entityRecords: ${n.entityRecords} }>`),
  ];
}

/**
 * Adds the patch, page and (with base64 props) presigned-record types, the repository interface
 * and its constructor. `placement` says where the collection lives, for the TSDoc.
 */
export function emitRepository(file: StatementCollector, declaration: LoadedDeclaration, placement: string): void {
  const { definition } = declaration;
  const n = repositoryNames(definition.name);
  const base64 = Object.keys(definition.base64Props).sort();
  file.addInterface({
    isExported: true,
    name: n.patch,
    docs: [`What \`enrich\` of \`${definition.name}\` merges: every key optional, at every depth of nested objects (arrays are replaced whole).`],
    properties: new ZodTypeRenderer(definition.name, 'patch').members(definition.schema as unknown as Schema).map((m) => ({ name: m.name, type: m.type, hasQuestionToken: true })),
  });
  file.addInterface({
    isExported: true,
    name: n.page,
    docs: [`One page of \`${definition.name}\` records from \`listByMeta\`.`],
    properties: [
      { name: 'items', type: `${n.record}[]` },
      { name: 'nextCursor', type: 'string', hasQuestionToken: true, docs: ['Pass as `afterId` for the next page; absent on the last page.'] },
    ],
  });
  if (base64.length > 0) {
    file.addTypeAlias({
      isExported: true,
      name: n.presigned,
      docs: [`A \`${definition.name}\` version read with \`presign: true\`: ${base64.map((p) => `\`${p}\``).join(', ')} hold${base64.length > 1 ? '' : 's'} a presigned URL, not base64 content.`],
      // An intersection narrows each base64 prop to PresignedUrl (a branded string) and keeps its
      // optionality; Omit would be a mapped type over every key, evaluated for each collection.
      type: `${n.record} & {\n${base64.map((p) => `${propertyName(p)}?: PresignedUrl;`).join('\n')}\n}`,
    });
  }
  file.addInterface({
    isExported: true,
    name: n.repository,
    docs: [
      `Typed repository of \`${definition.name}\` (${placement}). Every write is validated with the declared zod schema first:\n` +
        'bad input throws a ValidationError naming the field, and nothing is written.',
    ],
    methods: [
      method('create', 'Creates a record (ov 0) after validating it.', [param('input', n.input), param('actor', 'string', true), param('reason', 'string', true), param('options', 'CreateOptions', true)], 'Promise<CreateResult>'),
      method('createMany', 'Creates several records; all are validated before the first is written. `options.batchSize` sets the records per batch.', [param('inputs', `readonly ${n.input}[]`), param('actor', 'string', true), param('reason', 'string', true), param('options', 'CreateManyOptions', true)], 'Promise<CreateResult[]>'),
      method('update', 'Replaces a record\'s data with a new version; with `expectedOv`, only if the head is still at that version. `options.opId` makes a retry of the same update a no-op.', [param('id', 'string'), param('input', n.input), param('expectedOv', 'number', true), param('actor', 'string', true), param('reason', 'string', true), param('options', 'WriteOptions', true)], 'Promise<UpdateResult>'),
      method('enrich', 'Deep-merges a partial record (or several, in order) into a new version.', [param('id', 'string'), param('patch', `${n.patch} | ${n.patch}[]`), param('options', 'EnrichOptions', true)], 'Promise<UpdateResult>'),
      method('delete', 'Deletes a record (logically, unless the configuration says otherwise). `options.opId` makes a retry of the same delete a no-op.', [param('id', 'string'), param('expectedOv', 'number', true), param('actor', 'string', true), param('reason', 'string', true), param('options', 'WriteOptions', true)], 'Promise<DeleteResult>'),
      ...readMethods(n.record, base64.length > 0 ? n.presigned : undefined),
      method('listByMeta', 'One page of records matching a filter on indexed props and `_system` fields.', [param('query', n.listQuery, true), param('options', 'ReadOptions', true)], `Promise<${n.page}>`),
      method('history', 'Every version of a record, oldest first.', [param('id', 'string')], 'Promise<VersionInfo[]>'),
      method('restoreObject', 'Makes an earlier version (by ov or instant) the latest, as a new version; with `options.expectedOv`, only if the head is still at that version.', [param('id', 'string'), param('target', 'RestoreObjectTarget'), param('actor', 'string', true), param('reason', 'string', true), param('options', 'RestoreObjectOptions', true)], 'Promise<UpdateResult>'),
      method('restore', '@deprecated Use `restoreObject` (the untyped API\'s name); kept for existing callers.', [param('id', 'string'), param('target', 'RestoreObjectTarget'), param('actor', 'string', true), param('reason', 'string', true), param('options', 'RestoreObjectOptions', true)], 'Promise<UpdateResult>'),
      ...(definition.entities.length > 0 ? entityMethods(n) : []),
    ],
  });
  // The declaration goes by its module's namespace and export name: naming it in an expression
  // would make an application's type-check infer its type (zod's and defineCollection's) again
  // here, in every file that does. `satisfies` still refuses an export the module no longer has.
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [`Makes the \`${definition.name}\` repository over the engine's operations in one routed database (\`createRepositories\` does this).`],
    declarations: [{ name: n.repository, initializer: `declaredRepository<${n.repository}>(schemaModule, ${literal(declaration.exportName)} satisfies keyof typeof schemaModule)` }],
  });
}
