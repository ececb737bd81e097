/**
 * Writes the root factory: `createRepositories(chronos)` gives each collection's repository under
 * the database type and tier it is placed in, so asking for it anywhere else does not compile.
 */
import type { CollectionDatabaseType, Location, CollectionTier } from '../../runtime/schema/placement.js';
import { ALL_TIERS, VERSIONED_DATABASE_TYPES } from '../../runtime/config/vocabulary.js';
import type { LoadedDeclaration } from '../load/load-declarations.js';
import { literal } from './literal.js';
import { importSpecifier, namesOf, pascalCase } from './naming.js';
import { VariableDeclarationKind, type StatementCollector } from './statements.js';

const DATABASE_ORDER: readonly CollectionDatabaseType[] = VERSIONED_DATABASE_TYPES;
const TIER_ORDER: readonly CollectionTier[] = ALL_TIERS;

/**
 * The scope argument each tier takes (null for tiers with one database), and the other scope a
 * caller may add: the engine routes entity targets with the caller's tenant and domain, so an
 * order in a tenant database whose product lives in a domain database needs that domain too.
 */
const SCOPE: Record<CollectionTier, { param: string; key: string; extra: string } | null> = {
  generic: null,
  single: null,
  domain: { param: 'domain', key: 'domain', extra: 'tenantId' },
  tenant: { param: 'tenantId', key: 'tenantId', extra: 'domain' },
};

function groupName(location: Location): string {
  return location.tier === 'single' ? `${pascalCase(location.databaseType)}Repositories` : `${pascalCase(location.databaseType)}${pascalCase(location.tier)}Repositories`;
}

function groupLocations(declarations: readonly LoadedDeclaration[]): Map<string, { location: Location; collections: string[] }> {
  const groups = new Map<string, { location: Location; collections: string[] }>();
  for (const databaseType of DATABASE_ORDER) {
    for (const tier of TIER_ORDER) {
      const collections = declarations
        .filter(({ definition }) => definition.locations.some((l) => l.databaseType === databaseType && l.tier === tier))
        .map(({ definition }) => definition.name);
      if (collections.length > 0) groups.set(`${databaseType}/${tier}`, { location: { databaseType, tier } as Location, collections });
    }
  }
  return groups;
}

/** The tier an extra scope routes entities to (`domain` → domain tier, `tenantId` → tenant tier). */
const EXTRA_TIER: Record<string, CollectionTier> = { domain: 'domain', tenantId: 'tenant' };

/**
 * The collections of a group whose entity mappings target the tier of the extra scope (an order
 * in a tenant database whose product lives in a domain database): reaching them needs that scope.
 */
function needingExtra(location: Location, collections: readonly string[], declarations: readonly LoadedDeclaration[]): string[] {
  const scope = SCOPE[location.tier];
  if (!scope) return [];
  const tier = EXTRA_TIER[scope.extra];
  // A mapping that names its own domain routes without the caller's.
  return collections.filter((name) => declarations.find((d) => d.definition.name === name)?.definition.entities.some((e) => e.tier === tier && !(tier === 'domain' && e.domain)));
}

function tierMember(location: Location, needing: readonly string[]): string {
  const scope = SCOPE[location.tier];
  const type = groupName(location);
  if (!scope) return `readonly ${location.tier}: ${type};`;
  const doc = `/** The ${location.tier} database of \`${scope.param}\`; \`scope.${scope.extra}\` routes entities placed in ${scope.extra === 'domain' ? 'a domain' : 'a tenant'} tier. */`;
  if (needing.length === 0) return `${doc}\n${location.tier}(${scope.param}: string, scope?: { ${scope.extra}?: string }): ${type};`;
  const names = needing.map((n) => `'${n}'`).join(' | ');
  return (
    `${doc}\n${location.tier}(${scope.param}: string, scope: { ${scope.extra}: string }): ${type};\n` +
    `/** Without \`scope.${scope.extra}\`: ${needing.join(', ')} ${needing.length > 1 ? 'are' : 'is'} left out, since ${needing.length > 1 ? 'their' : 'its'} entities need it. */\n` +
    `${location.tier}(${scope.param}: string, scope?: { ${scope.extra}?: string }): Omit<${type}, ${names}> & {\n${needing.map((n) => needsScopeMember(n, location, scope.extra)).join('\n')}\n};`
  );
}

/** A member whose type is its own error message: using it fails to compile with that text. */
function messageMember(collection: string, message: string): string {
  return `readonly ${collection}: ${messageType(message)};`;
}

/** An object type whose only key is `message`: nothing is assignable to it by accident, and the compiler prints it. */
function messageType(message: string): string {
  return `{ readonly ${literal(message)}: never }`;
}

function needsScopeMember(collection: string, location: Location, extra: string): string {
  const call = extra === 'domain' ? `${location.tier}(tenantId, { domain })` : `${location.tier}(domain, { tenantId })`;
  return messageMember(collection, `${collection} needs { ${extra} }: its entities live in a ${extra === 'domain' ? 'domain' : 'tenant'} tier; call ${call}`);
}

/** Members naming where each collection not placed in `location` is placed, so asking for one there says where to go. */
function elsewhereMembers(location: Location, declarations: readonly LoadedDeclaration[], here: readonly string[]) {
  return declarations
    .filter(({ definition }) => !here.includes(definition.name))
    .map(({ definition }) => {
      const places = definition.locations.map((l) => `${l.databaseType}/${l.tier}`).join(', ');
      return { name: definition.name, isReadonly: true, type: messageType(`${definition.name} is not placed in ${location.databaseType}/${location.tier}: it is placed in ${places}`) };
    });
}

function groupObject(location: Location, collections: readonly string[]): string {
  const scope = SCOPE[location.tier];
  const scopeField = scope ? ` ${scope.key}${scope.key === scope.param ? '' : `: ${scope.param}`}, ...scope,` : '';
  const getters = collections.map((c) => {
    const ctx = `{ databaseType: '${location.databaseType}', tier: '${location.tier}',${scopeField} collection: '${c}' }`;
    return `get ${c}() {\nreturn new ${namesOf(c).repository}(chronos.with(${ctx}));\n},`;
  });
  return `{\n${getters.join('\n')}\n}`;
}

/** `atRevision(ordersModule, 'orders' satisfies keyof typeof ordersModule, 2)`: the stale-export check stays a compile error. */
function atRevisionCall(declaration: LoadedDeclaration, revision: number): string {
  const module = namesOf(declaration.definition.name).declarationModule;
  return `atRevision(${module}, ${literal(declaration.exportName)} satisfies keyof typeof ${module}, ${revision})`;
}

/**
 * Fills `file` with the repository groups, the `Repositories` type and `createRepositories`.
 * `revisions` (collection → current revision in the lock file) stamps each declaration of
 * `collections`, so the engine tags every version with it.
 */
export function emitFactory(file: StatementCollector, declarations: readonly LoadedDeclaration[], runtimeImport: string, outDir: string, revisions: ReadonlyMap<string, number> = new Map()): void {
  const groups = groupLocations(declarations);
  file.addImportDeclaration({ moduleSpecifier: runtimeImport, namedImports: ['atRevision', 'requireDeclarations'] });
  file.addImportDeclaration({ moduleSpecifier: runtimeImport, isTypeOnly: true, namedImports: ['ChronosLike'] });
  for (const { definition } of declarations) {
    file.addImportDeclaration({ moduleSpecifier: namesOf(definition.name).module, namedImports: [namesOf(definition.name).repository] });
  }
  // Each declaration goes by its module's namespace and export name (as in the repository
  // modules): naming the declarations would make the type-check infer all of them again here.
  for (const declaration of declarations) {
    file.addImportDeclaration({ moduleSpecifier: importSpecifier(outDir, declaration.file), namespaceImport: namesOf(declaration.definition.name).declarationModule });
  }
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [
      'Every collection declaration, for `initChronos({ ...config, collections })`: the engine derives each collection\'s indexed props, base64 props, counter rules and write validation from them,\n' +
        'and tags every version with the declaration revision recorded in the lock file.',
    ],
    declarations: [
      {
        name: 'collections',
        initializer: `[${declarations.map((d) => atRevisionCall(d, revisions.get(d.definition.name) ?? 1)).join(', ')}] as const`,
      },
    ],
  });
  for (const { location, collections } of groups.values()) {
    file.addInterface({
      isExported: true,
      name: groupName(location),
      docs: [`The collections placed in ${location.databaseType}/${location.tier}.`],
      extends: [`${groupName(location)}Elsewhere`],
      properties: collections.map((c) => ({ name: c, type: namesOf(c).repository, isReadonly: true })),
    });
    file.addInterface({
      isExported: true,
      name: `${groupName(location)}Elsewhere`,
      docs: [`The collections not placed in ${location.databaseType}/${location.tier}: each is typed as a message saying where it is.`],
      properties: elsewhereMembers(location, declarations, collections),
    });
  }
  const byDatabase = DATABASE_ORDER.map((db) => ({ db, tiers: [...groups.values()].filter((g) => g.location.databaseType === db) })).filter((d) => d.tiers.length > 0);
  file.addInterface({
    isExported: true,
    name: 'Repositories',
    docs: ['Typed repositories by database type and tier; a collection is reachable only where it is placed.'],
    properties: byDatabase.map(({ db, tiers }) => {
      const single = tiers.find((t) => t.location.tier === 'single');
      return { name: db, isReadonly: true, type: single ? groupName(single.location) : `{\n${tiers.map((t) => tierMember(t.location, needingExtra(t.location, t.collections, declarations))).join('\n')}\n}` };
    }),
  });
  const body = byDatabase.map(({ db, tiers }) => {
    const single = tiers.find((t) => t.location.tier === 'single');
    if (single) return `${db}: ${groupObject(single.location, single.collections)},`;
    const members = tiers.map(({ location, collections }) => {
      const scope = SCOPE[location.tier];
      return scope
        ? `${location.tier}: (${scope.param}: string, scope: { ${scope.extra}?: string } = {}) => (${groupObject(location, collections)}),`
        : `${location.tier}: ${groupObject(location, collections)},`;
    });
    return `${db}: {\n${members.join('\n')}\n},`;
  });
  file.addFunction({
    isExported: true,
    name: 'createRepositories',
    docs: [
      'Typed access to every declared collection through a Chronos instance (anything with `with(context)`).\n' +
        'The instance must have been given {@link collections} (a ConfigError names each missing one).\n' +
        'Repositories are created on access; each wraps `chronos.with(...)` for its database type, tier and tenant or domain.\n\n' +
        '@example\n```ts\nconst repos = createRepositories(chronos);\n' +
        (byDatabase[0] ? exampleLine(byDatabase[0].tiers[0]!.location, byDatabase[0].tiers[0]!.collections[0]!) : '') +
        '```',
    ],
    parameters: [{ name: 'chronos', type: 'ChronosLike' }],
    returnType: 'Repositories',
    // The public type also has members that exist only as compile-time messages (a collection
    // asked for where it is not placed, or without the scope its entities need), hence the cast.
    statements: `requireDeclarations(chronos, collections);\nconst repositories = {\n${body.join('\n')}\n};\nreturn repositories as unknown as Repositories;`,
  });
}

function exampleLine(location: Location, collection: string): string {
  const scope = SCOPE[location.tier];
  if (location.tier === 'single') return `const ${collection} = repos.${location.databaseType}.${collection};\n`;
  const access = scope ? `${location.tier}('${scope.param === 'tenantId' ? 'acme' : 'retail'}')` : location.tier;
  return `const ${collection} = repos.${location.databaseType}.${access}.${collection};\n`;
}
