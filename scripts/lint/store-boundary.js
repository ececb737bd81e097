// The store boundary: only the stores send queries to MongoDB. A store is a module in a `store/`
// folder (runtime/ops/store/, runtime/fallback/store/, …), in runtime/mongo/ (the store factory
// and the index builder) or in codegen/migrate/store/ (what `chronos migrate` reads and writes).
// Everywhere else in runtime/ and codegen/:
// - `x.collection(…)` (opening a Mongo collection: `Db.collection`) is an error, so no other
//   module can reach a collection to call find, updateOne, bulkWrite, createIndex, … on;
// - importing the driver's `Collection` or cursor types is an error, so no store can hand a
//   collection out through its signatures and no other module can take one in.
// Default export: one flat-config object (eslint.config.js appends every file of scripts/lint/).

const STORE_MODULES = ['runtime/**/store/**', 'runtime/mongo/**', 'codegen/migrate/store/**'];

/** `x.collection(…)` or `x['collection'](…)`. */
function opensCollection(node) {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression') return false;
  if (!callee.computed) return callee.property.type === 'Identifier' && callee.property.name === 'collection';
  return callee.property.type === 'Literal' && callee.property.value === 'collection';
}

const noCollectionOutsideStores = {
  meta: {
    type: 'problem',
    docs: { description: 'Only store modules open Mongo collections (Db.collection)' },
    messages: {
      opens:
        'Only the stores send queries: move this query into the store that owns the collection (runtime/**/store/, built by runtime/mongo/stores.ts) and call its method here.',
    },
    schema: [],
  },
  create(context) {
    return {
      CallExpression(node) {
        if (opensCollection(node)) context.report({ node, messageId: 'opens' });
      },
    };
  },
};

/** The plugin carrying the rule. */
const storeBoundaryPlugin = { rules: { 'no-collection-outside-stores': noCollectionOutsideStores } };

export default {
  name: 'chronos/store-boundary',
  files: ['runtime/**/*.ts', 'codegen/**/*.ts'],
  ignores: STORE_MODULES,
  plugins: { chronos: storeBoundaryPlugin },
  rules: {
    'chronos/no-collection-outside-stores': 'error',
    'no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: 'mongodb',
            importNames: ['Collection', 'FindCursor', 'AggregationCursor', 'ListIndexesCursor', 'ChangeStream'],
            message: 'Only the stores hold Mongo collections and cursors: call a store method instead (runtime/**/store/).',
          },
        ],
      },
    ],
  },
};
