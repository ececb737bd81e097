// The store boundary: only the stores send queries to MongoDB. A store is a module in a `store/`
// folder (runtime/ops/store/, runtime/fallback/store/, …), in runtime/mongo/ (the store factory
// and the index builder) or in cli/migrate/store/ (what `chronos migrate` reads and writes).
// Everywhere else in runtime/ and codegen/:
// - `x.collection(…)` (opening a Mongo collection: `Db.collection`) is an error, so no other
//   module can reach a collection to call find, updateOne, bulkWrite, createIndex, … on;
// - importing the driver's `Collection` or cursor types is an error, so no store can hand a
//   collection out through its signatures and no other module can take one in;
// - `new` of a class imported from a store module is an error: Mongo stores are built by the
//   factory runtime/mongo/stores.ts, where the collection names are derived (the payload store,
//   over object storage, is the one class built where it is used).
// Default export: one flat-config object (eslint.config.js appends every file of scripts/lint/).

const STORE_MODULES = ['runtime/**/store/**', 'runtime/mongo/**', 'cli/migrate/store/**'];

/** Store classes that do not address MongoDB, and so are not the factory's to build. */
const NOT_MONGO_STORES = new Set(['PayloadStore']);

/** `x.collection(…)` or `x['collection'](…)`. */
function opensCollection(node) {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression') return false;
  if (!callee.computed) return callee.property.type === 'Identifier' && callee.property.name === 'collection';
  return callee.property.type === 'Literal' && callee.property.value === 'collection';
}

/** The module `name` was imported from in `scope` or an enclosing scope, if it was imported. */
function importSourceOf(scope, name) {
  for (let s = scope; s; s = s.upper) {
    const variable = s.set.get(name);
    if (!variable) continue;
    const def = variable.defs[0];
    return def?.type === 'ImportBinding' ? def.parent.source.value : undefined;
  }
  return undefined;
}

const storeBoundary = {
  meta: {
    type: 'problem',
    docs: { description: 'Only store modules open Mongo collections (Db.collection) or build stores' },
    messages: {
      opens:
        'Only the stores send queries: move this query into the store that owns the collection (runtime/**/store/, built by runtime/mongo/stores.ts) and call its method here.',
      builds: 'Stores are built by runtime/mongo/stores.ts (where the collection names are derived): call its factory function instead of `new {{name}}`.',
    },
    schema: [],
  },
  create(context) {
    return {
      CallExpression(node) {
        if (opensCollection(node)) context.report({ node, messageId: 'opens' });
      },
      NewExpression(node) {
        if (node.callee.type !== 'Identifier' || NOT_MONGO_STORES.has(node.callee.name)) return;
        const from = importSourceOf(context.sourceCode.getScope(node), node.callee.name);
        if (from !== undefined && /(^|\/)(store|mongo)\//.test(from)) context.report({ node, messageId: 'builds', data: { name: node.callee.name } });
      },
    };
  },
};

/** The plugin carrying the rule. */
const storeBoundaryPlugin = { rules: { 'store-boundary': storeBoundary } };

export default {
  name: 'chronos/store-boundary',
  files: ['runtime/**/*.ts', 'codegen/**/*.ts'],
  ignores: STORE_MODULES,
  plugins: { chronos: storeBoundaryPlugin },
  rules: {
    'chronos/store-boundary': 'error',
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
