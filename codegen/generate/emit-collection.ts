/**
 * Writes one collection's module: its data, input, record, filter and sort types, and a typed
 * repository over the engine's untyped operations that validates before every write.
 */
import { Scope, type SourceFile } from 'ts-morph';
import type { LoadedDeclaration } from '../load/load-declarations.js';
import { importSpecifier, namesOf } from './naming.js';
import { ZodTypeRenderer, propertyName } from './zod-to-ts.js';

/** What the emitter needs besides the declaration. */
export interface CollectionEmitContext {
  outDir: string;
  runtimeImport: string;
}

type Schema = Parameters<ZodTypeRenderer['members']>[0];

function placementText(declaration: LoadedDeclaration): string {
  return declaration.definition.locations.map((l) => `${l.databaseType}/${l.tier}`).join(', ');
}

function addDataTypes(file: SourceFile, declaration: LoadedDeclaration): void {
  const { definition } = declaration;
  const n = namesOf(definition.name);
  const schema = definition.schema as unknown as Schema;
  const output = new ZodTypeRenderer(definition.name, 'output').members(schema);
  const input = new ZodTypeRenderer(definition.name, 'input').members(schema);
  const toProps = (members: typeof output) =>
    members.map((m) => ({ name: m.name, type: m.type, hasQuestionToken: m.optional, docs: m.doc ? [m.doc] : [] }));
  file.addInterface({
    isExported: true,
    name: n.data,
    docs: [`The data of a \`${definition.name}\` record as stored and read back (defaults applied).`],
    properties: toProps(output),
  });
  const sameShape = JSON.stringify(output) === JSON.stringify(input);
  if (sameShape) {
    file.addTypeAlias({ isExported: true, name: n.input, type: n.data, docs: [`What \`create\` and \`update\` of \`${definition.name}\` accept.`] });
  } else {
    file.addInterface({
      isExported: true,
      name: n.input,
      docs: [`What \`create\` and \`update\` of \`${definition.name}\` accept (fields with defaults may be left out).`],
      properties: toProps(input),
    });
  }
  file.addTypeAlias({ isExported: true, name: n.record, type: `ChronosRecord<${n.data}>`, docs: [`A stored \`${definition.name}\` version: the data plus \`_id\` and \`_system\`.`] });
}

function addQueryTypes(file: SourceFile, declaration: LoadedDeclaration): void {
  const { definition } = declaration;
  const n = namesOf(definition.name);
  const renderer = new ZodTypeRenderer(definition.name, 'output');
  const schema = definition.schema as unknown as Schema;
  const props = [...definition.indexedProps].sort();
  const filterBody = props.map((p) => `${propertyName(p)}?: FieldFilter<${renderer.typeAt(schema, p)}>;`);
  file.addTypeAlias({
    isExported: true,
    name: n.filter,
    docs: [`A \`listByMeta\` filter on \`${definition.name}\`: only its indexed props, each with its own type.`],
    type: filterBody.length > 0 ? `{\n${filterBody.join('\n')}\n}` : 'Record<string, never>',
  });
  const sorts = props.map((p) => `{ ${propertyName(p)}: SortDirection }`);
  file.addTypeAlias({
    isExported: true,
    name: n.sort,
    docs: [`A \`listByMeta\` order on \`${definition.name}\`: one indexed prop or a system time.`],
    type: [...sorts, 'SystemSort'].join(' | '),
  });
  file.addTypeAlias({ isExported: true, name: n.listQuery, type: `TypedListQuery<${n.filter}, ${n.sort}>`, docs: [`A \`listByMeta\` query on \`${definition.name}\`.`] });
}

function addEntityTypes(file: SourceFile, declaration: LoadedDeclaration): void {
  const { definition } = declaration;
  const n = namesOf(definition.name);
  const entities = definition.entities;
  file.addInterface({
    isExported: true,
    name: n.entityResults,
    docs: [`What \`insertWithEntities\` did to each entity of a \`${definition.name}\` record.`],
    properties: entities.map((e) => ({ name: propertyName(e.property), type: 'EntityResult', hasQuestionToken: true })),
  });
  file.addInterface({
    isExported: true,
    name: n.entityRecords,
    docs: [`The entities \`getWithEntities\` fetched for a \`${definition.name}\` record (absent when not found).`],
    properties: entities.map((e) => ({
      name: propertyName(e.property),
      type: namesOf(e.collection.name).record,
      hasQuestionToken: true,
      docs: [`From \`${e.collection.name}\` in ${e.databaseType}/${e.tier}, by \`${e.keyProperty}\`.`],
    })),
  });
}

const p = (name: string, type: string, optional = false) => ({ name, type, hasQuestionToken: optional });

function repositoryMethods(declaration: LoadedDeclaration) {
  const n = namesOf(declaration.definition.name);
  const methods = [
    { name: 'create', docs: ['Creates a record (ov 0) after validating it; throws ValidationError and writes nothing when it does not match the schema.'], parameters: [p('input', n.input), p('actor', 'string', true), p('reason', 'string', true), p('options', 'CreateOptions', true)], returnType: 'Promise<CreateResult>', statements: 'return this.ops.create(validateRecord(declaration, input), actor, reason, options);' },
    { name: 'createMany', docs: ['Creates several records; all are validated before the first is written.'], parameters: [p('inputs', `readonly ${n.input}[]`), p('actor', 'string', true), p('reason', 'string', true)], returnType: 'Promise<CreateResult[]>', statements: 'return this.ops.createMany(validateRecords(declaration, inputs), actor, reason);' },
    { name: 'update', docs: ["Replaces a record's data with a new version; with `expectedOv`, only if the head is still at that version."], parameters: [p('id', 'string'), p('input', n.input), p('expectedOv', 'number', true), p('actor', 'string', true), p('reason', 'string', true)], returnType: 'Promise<UpdateResult>', statements: 'return this.ops.update(id, validateRecord(declaration, input), expectedOv, actor, reason);' },
    { name: 'enrich', docs: ['Deep-merges a partial record (or several, in order) into a new version.'], parameters: [p('id', 'string'), p('patch', `DeepPartial<${n.data}> | DeepPartial<${n.data}>[]`), p('options', 'EnrichOptions', true)], returnType: 'Promise<UpdateResult>', statements: 'return this.ops.enrich(id, validatePatch(declaration, patch), options);' },
    { name: 'delete', docs: ['Deletes a record (logically, unless the configuration says otherwise).'], parameters: [p('id', 'string'), p('expectedOv', 'number', true), p('actor', 'string', true), p('reason', 'string', true)], returnType: 'Promise<DeleteResult>', statements: 'return this.ops.delete(id, expectedOv, actor, reason);' },
    { name: 'getLatest', docs: ['The latest version, or null.'], parameters: [p('id', 'string'), p('options', 'ReadOptions', true)], returnType: `Promise<${n.record} | null>`, statements: `return (await this.ops.getLatest(id, options)) as ${n.record} | null;` },
    { name: 'getVersion', docs: ['One version by its ov, or null.'], parameters: [p('id', 'string'), p('ov', 'number'), p('options', 'ReadOptions', true)], returnType: `Promise<${n.record} | null>`, statements: `return (await this.ops.getVersion(id, ov, options)) as ${n.record} | null;` },
    { name: 'getAsOf', docs: ['The version that was current at `at`, or null.'], parameters: [p('id', 'string'), p('at', 'string | Date'), p('options', 'ReadOptions', true)], returnType: `Promise<${n.record} | null>`, statements: `return (await this.ops.getAsOf(id, at, options)) as ${n.record} | null;` },
    { name: 'listByMeta', docs: ['One page of records matching a filter on indexed props.'], parameters: [p('query', n.listQuery, true), p('options', 'ReadOptions', true)], returnType: `Promise<ListPage<${n.data}>>`, statements: `return typedPage<${n.data}>(await this.ops.listByMeta(query, options));` },
    { name: 'history', docs: ["Every version of a record, oldest first."], parameters: [p('id', 'string')], returnType: 'Promise<VersionInfo[]>', statements: 'return this.ops.history(id);' },
    { name: 'restore', docs: ['Makes an earlier version (by ov or instant) the latest, as a new version.'], parameters: [p('id', 'string'), p('target', 'RestoreObjectTarget'), p('actor', 'string', true), p('reason', 'string', true)], returnType: 'Promise<UpdateResult>', statements: 'return this.ops.restoreObject(id, target, actor, reason);' },
  ];
  if (declaration.definition.entities.length > 0) {
    methods.push(
      { name: 'insertWithEntities', docs: ['Validates the record and its entities, saves each entity to its own collection, then creates the record.'], parameters: [p('input', n.input), p('actor', 'string', true), p('reason', 'string', true)], returnType: `Promise<{ mainRecordId: string; entityResults: ${n.entityResults} }>`, statements: 'const result = await this.ops.insertWithEntities(validateRecord(declaration, input), entityMappingsOf(declaration), actor, reason);\nreturn { mainRecordId: result.mainRecordId, entityResults: entityObject(result.entityResults) };' },
      { name: 'getWithEntities', docs: ['Reads a record and the latest version of each entity it references.'], parameters: [p('id', 'string'), p('options', 'ReadOptions', true)], returnType: `Promise<{ mainRecord: ${n.record} | null; entityRecords: ${n.entityRecords} }>`, statements: `const result = await this.ops.getWithEntities(id, entityMappingsOf(declaration), options);\nreturn { mainRecord: result.mainRecord as ${n.record} | null, entityRecords: entityObject(result.entityRecords) as ${n.entityRecords} };` },
    );
  }
  return methods.map((m) => ({ ...m, isAsync: true }));
}

/** Fills `file` with the module of one collection. */
export function emitCollection(file: SourceFile, declaration: LoadedDeclaration, context: CollectionEmitContext): void {
  const { definition } = declaration;
  const n = namesOf(definition.name);
  const hasEntities = definition.entities.length > 0;
  const typeImports = ['ChronosRecord', 'CollectionOps', 'CreateOptions', 'CreateResult', 'DeepPartial', 'DeleteResult', 'EnrichOptions', 'FieldFilter', 'ListPage', 'ReadOptions', 'RestoreObjectTarget', 'SortDirection', 'SystemSort', 'TypedListQuery', 'UpdateResult', 'VersionInfo'];
  if (hasEntities) typeImports.push('EntityResult');
  const valueImports = ['typedPage', 'validatePatch', 'validateRecord', 'validateRecords', ...(hasEntities ? ['entityMappingsOf', 'entityObject'] : [])].sort();
  file.addImportDeclaration({ moduleSpecifier: context.runtimeImport, namedImports: valueImports });
  file.addImportDeclaration({ moduleSpecifier: context.runtimeImport, isTypeOnly: true, namedImports: typeImports.sort() });
  file.addImportDeclaration({
    moduleSpecifier: importSpecifier(context.outDir, declaration.file),
    namedImports: [declaration.exportName === 'declaration' ? 'declaration' : { name: declaration.exportName, alias: 'declaration' }],
  });
  const targets = [...new Set(definition.entities.map((e) => e.collection.name))].filter((t) => t !== definition.name).sort();
  for (const target of targets) {
    file.addImportDeclaration({ moduleSpecifier: namesOf(target).module, isTypeOnly: true, namedImports: [namesOf(target).record] });
  }
  addDataTypes(file, declaration);
  addQueryTypes(file, declaration);
  if (hasEntities) addEntityTypes(file, declaration);
  file.addClass({
    isExported: true,
    name: n.repository,
    docs: [
      `Typed repository of \`${definition.name}\` (${placementText(declaration)}), over the engine's untyped operations.\n` +
        'Every write is validated with the declared zod schema first: bad input throws a ValidationError naming the field, and nothing is written.',
    ],
    properties: [{ name: 'ops', type: 'CollectionOps', scope: Scope.Private, isReadonly: true }],
    ctors: [{ parameters: [{ name: 'ops', type: 'CollectionOps' }], statements: 'this.ops = ops;', docs: [`@param ops - the engine's operations on \`${definition.name}\` in one routed database.`] }],
    methods: repositoryMethods(declaration),
  });
}
