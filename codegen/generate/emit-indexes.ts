/** Writes the index-definitions module: every index the engine needs, per collection, with its placement. */
import { VariableDeclarationKind, type StatementCollector } from './statements.js';
import { collectionIndexes } from '../../runtime/schema/collection-indexes.js';
import type { LoadedDeclaration } from '../load/load-declarations.js';
import { literal } from './literal.js';

/** Fills `file` with `indexDefinitions` for the given declarations (already sorted by name). */
export function emitIndexDefinitions(file: StatementCollector, declarations: readonly LoadedDeclaration[], runtimeImport: string): void {
  file.addImportDeclaration({ moduleSpecifier: runtimeImport, isTypeOnly: true, namedImports: ['CollectionIndexes'] });
  const entries = declarations.map(({ definition }) => {
    const { collection, locations, indexes } = collectionIndexes(definition);
    return `{\ncollection: ${literal(collection)},\nlocations: ${literal(locations)},\nindexes: [\n${indexes.map((i) => `${literal(i)},`).join('\n')}\n],\n},`;
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ['Every index the engine needs for the declared collections, and where each collection lives. `chronos migrate` applies these; the engine also creates the missing ones before its first write to a collection, once per process.'],
    declarations: [{ name: 'indexDefinitions', type: 'readonly CollectionIndexes[]', initializer: `[\n${entries.join('\n')}\n]` }],
  });
}
