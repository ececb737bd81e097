/**
 * Writes one collection's module: its data, input, record, filter and sort types, and a typed
 * repository over the engine's untyped operations that validates before every write.
 */
import type { StatementCollector } from './statements.js';
import type { LoadedDeclaration } from '../load/load-declarations.js';
import { literal } from './literal.js';
import { importSpecifier, namesOf } from './naming.js';
import { ZodTypeRenderer, propertyName } from './zod-to-ts.js';
import { PRESIGNED_TYPE_IMPORTS, REPOSITORY_TYPE_IMPORTS, emitRepository } from './emit-repository.js';

/** What the emitter needs besides the declaration. */
export interface CollectionEmitContext {
  outDir: string;
  runtimeImport: string;
}

type Schema = Parameters<ZodTypeRenderer['members']>[0];

function placementText(declaration: LoadedDeclaration): string {
  return declaration.definition.locations.map((l) => `${l.databaseType}/${l.tier}`).join(', ');
}

function addDataTypes(file: StatementCollector, declaration: LoadedDeclaration): void {
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

function addQueryTypes(file: StatementCollector, declaration: LoadedDeclaration): void {
  const { definition } = declaration;
  const n = namesOf(definition.name);
  const renderer = new ZodTypeRenderer(definition.name, 'output');
  const schema = definition.schema as unknown as Schema;
  const props = [...definition.indexedProps].sort();
  // Each top-level field that is not indexed is typed as a message, so a filter or sort on it says why it fails.
  const notIndexed = Object.keys(schema._zod.def.shape ?? {}).filter((f) => !props.includes(f)).sort();
  const refusal = (f: string) => `{ readonly ${literal(`${f} is not indexed: add it to indexedProps to filter or sort on it`)}: never }`;
  const filterBody = [...props.map((p) => `${propertyName(p)}?: FieldFilter<${renderer.typeAt(schema, p)}>;`), ...notIndexed.map((f) => `${propertyName(f)}?: ${refusal(f)};`)];
  file.addTypeAlias({
    isExported: true,
    name: n.filter,
    docs: [`A \`listByMeta\` filter on \`${definition.name}\`: only its indexed props, each with its own type, and the \`_system\` fields.`],
    type: filterBody.length > 0 ? `SystemFilter & {\n${filterBody.join('\n')}\n}` : 'SystemFilter',
  });
  const sorts = [...props.map((p) => `{ ${propertyName(p)}: SortDirection }`), ...notIndexed.map((f) => `{ ${propertyName(f)}: ${refusal(f)} }`)];
  file.addTypeAlias({
    isExported: true,
    name: n.sort,
    docs: [`A \`listByMeta\` order on \`${definition.name}\`: one indexed prop or a system time.`],
    type: [...sorts, 'SystemSort'].join(' | '),
  });
  file.addTypeAlias({ isExported: true, name: n.listQuery, type: `TypedListQuery<${n.filter}, ${n.sort}>`, docs: [`A \`listByMeta\` query on \`${definition.name}\`.`] });
}

function addEntityTypes(file: StatementCollector, declaration: LoadedDeclaration): void {
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

/** Fills `file` with the module of one collection. */
export function emitCollection(file: StatementCollector, declaration: LoadedDeclaration, context: CollectionEmitContext): void {
  const { definition } = declaration;
  const hasEntities = definition.entities.length > 0;
  const typeImports = ['ChronosRecord', 'FieldFilter', 'SortDirection', 'SystemFilter', 'SystemSort', 'TypedListQuery', ...REPOSITORY_TYPE_IMPORTS];
  if (hasEntities) typeImports.push('EntityResult');
  if (Object.keys(definition.base64Props).length > 0) typeImports.push(...PRESIGNED_TYPE_IMPORTS);
  file.addImportDeclaration({ moduleSpecifier: context.runtimeImport, namedImports: ['declaredRepository'] });
  file.addImportDeclaration({ moduleSpecifier: context.runtimeImport, isTypeOnly: true, namedImports: typeImports.sort() });
  // The schema module's namespace, not the declaration: see emitRepository.
  file.addImportDeclaration({ moduleSpecifier: importSpecifier(context.outDir, declaration.file), namespaceImport: 'schemaModule' });
  const targets = [...new Set(definition.entities.map((e) => e.collection.name))].filter((t) => t !== definition.name).sort();
  for (const target of targets) {
    file.addImportDeclaration({ moduleSpecifier: namesOf(target).module, isTypeOnly: true, namedImports: [namesOf(target).record] });
  }
  addDataTypes(file, declaration);
  addQueryTypes(file, declaration);
  if (hasEntities) addEntityTypes(file, declaration);
  emitRepository(file, declaration, placementText(declaration));
}
