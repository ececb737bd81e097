/**
 * The schema DSL: one declaration per collection, the single source for the typed repositories
 * (`chronos generate`), the index migrations (`chronos migrate`) and the `collectionMaps` /
 * `counterRules` of `initChronos`.
 */
import type { ZodObject } from 'zod';
import { ConfigError } from '../errors.js';
import { checkDeclaration } from './declaration-checks.js';
import type { CounterRuleInput } from '../counters/counter-rule.js';
import { locationsOf, type Location, type LocationsOf, type Placement } from './placement.js';
import type { UpcasterMap } from './upcasters.js';
import type { Base64PropOf, CounterRulesCheck, IndexedPropsOf } from './declaration-types.js';
export type { FieldSchemaAt, IndexablePath, StringKeys, WhenValue } from './declaration-types.js';

const COLLECTION_BRAND = Symbol.for('chronos-db.collection');

/** How a base64 prop is externalised to object storage. */
export interface Base64Prop {
  readonly contentType: string;
  /** Store decoded text (`text.txt`) rather than bytes (`blob.bin`). */
  readonly preferredText?: boolean;
  readonly textCharset?: string;
}

/**
 * What a declaration's `schema` must be at compile time: an object schema, seen only through its
 * `shape`. Not zod's `ZodObject` itself: with that as the bound, the compiler relates every
 * inline `z.object({...})` to zod's widest object type while inferring a declaration, which is a
 * large part of what declarations cost to type-check. `defineCollection` checks at run time that
 * the schema is a zod object.
 */
export interface ObjectSchema {
  readonly shape: object;
}

/**
 * A declared collection. Produced by {@link defineCollection} only; the type parameters carry
 * what the compiler checks other declarations against (entity keys, tiers).
 */
export interface CollectionDefinition<
  Name extends string = string,
  Schema extends ObjectSchema = ZodObject,
  Indexed extends string = string,
  P = Placement | readonly Placement[],
> {
  readonly [COLLECTION_BRAND]: true;
  readonly name: Name;
  readonly schema: Schema;
  readonly indexedProps: readonly Indexed[];
  readonly base64Props: Readonly<Record<string, Base64Prop>>;
  readonly entities: readonly EntityDefinition[];
  readonly counterRules: readonly CounterRuleInput[];
  readonly validation: { readonly requiredIndexed?: readonly Indexed[] };
  readonly placement: P;
  /** Every database type / tier pair the placement allows, in declaration order. */
  readonly locations: readonly Location[];
  /** The top-level prop that titles a record in tools (Chronos Studio's lists and record page). */
  readonly displayField?: string;
  /** How data of older declaration revisions becomes data of this one (see `upcasters.ts`). */
  readonly upcasters: UpcasterMap;
  /**
   * The declaration's current revision, as the lock file records it: set on the generated
   * `collections` by {@link atRevision}; absent on the declaration as written.
   */
  readonly revision?: number;
}

/**
 * The run-time view of a declaration that validation and the entity helpers take. Every
 * declaration is assignable to it without the compiler comparing zod types (which is slow).
 */
export interface CollectionHandle {
  readonly name: string;
  readonly schema: object;
  readonly entities: readonly EntityDefinition[];
}

/** Any declared collection, whatever its type parameters. */
export type AnyCollectionDefinition = CollectionDefinition<string, ZodObject, string, unknown>;

/** An entity mapping after declaration: the target is the collection object itself. */
export interface EntityDefinition {
  readonly property: string;
  readonly collection: AnyCollectionDefinition;
  readonly keyProperty: string;
  readonly databaseType: Location['databaseType'];
  readonly tier: Location['tier'];
  /** For a domain-tier target: the domain its entities go to (else the caller's, else the only configured one). */
  readonly domain?: string;
}

/**
 * One entity mapping as written in a declaration: `property` of this record holds an entity of
 * `collection` (another declaration), found by its indexed `keyProperty`, in one of the target's
 * placed database type / tier pairs.
 */
export type EntityDeclaration<Shape, Target> =
  Target extends CollectionDefinition<string, ObjectSchema, infer Indexed, infer P>
    ? { readonly property: keyof Shape & string; readonly collection: Target; readonly keyProperty: Indexed; readonly domain?: string } & LocationsOf<P>
    : never;

/**
 * A counter rule in a declaration. Its `when` keys and `countUnique` names are checked against
 * the collection: indexed props for `scope: 'meta'` (the default: a rule reads the head's
 * indexed props), paths of the schema for `scope: 'payload'`; each `when` value against the
 * field's type (an enum value outside the enum does not compile). A typo is a compile error that
 * names the fix, not a counter that never fires. The rule counts writes to this collection only.
 */
export interface DeclaredCounterRule {
  /** The counter's name in `cnt_total` (letters, digits, `_`, `-`); unique across declarations. */
  readonly name: string;
  /** The write kinds counted; default `['CREATE']`. */
  readonly on?: readonly ('CREATE' | 'UPDATE' | 'DELETE')[];
  /** `meta` (default): `when` and `countUnique` name indexed props; `payload`: paths of the schema. */
  readonly scope?: 'meta' | 'payload';
  /** Field path → value or `{ $op: value }`; all must hold. */
  readonly when?: { readonly [path: string]: unknown };
  /**
   * `every` (default) counts every matching write; `transition` only the write that makes `when`
   * hold; `transitions` also the one after which it stops (as `<name>_left`). Meta scope only.
   */
  readonly count?: 'every' | 'transition' | 'transitions';
  /** Props whose distinct values are counted (same names as `when`). */
  readonly countUnique?: readonly string[];
}

/** What {@link defineCollection} takes. */
export interface CollectionDeclaration<
  Name extends string,
  Schema extends ObjectSchema,
  Indexed extends string,
  P extends Placement | readonly Placement[],
  Targets extends readonly AnyCollectionDefinition[],
  Base64 extends string = string,
  Rules extends readonly DeclaredCounterRule[] = readonly DeclaredCounterRule[],
> {
  /** Collection name: letters, digits and `_`, starting with a letter (it prefixes Mongo collections and names a property). */
  name: Name;
  /** The record's zod object schema: the type of the data and the validation before every write. */
  schema: Schema;
  /** Props copied to the head document and indexed: the only props `listByMeta` filters and sorts on. */
  indexedProps: readonly IndexedPropsOf<Schema['shape'], Indexed>[];
  /** String props holding base64 content, externalised to object storage. */
  base64Props?: { readonly [K in Base64]: Base64PropOf<Schema['shape'], K> };
  /** Props that hold entities of other collections, saved and fetched by `insertWithEntities` / `getWithEntities`. */
  entities?: { readonly [K in keyof Targets]: EntityDeclaration<Schema['shape'], Targets[K]> };
  /** Counters of writes to this collection, counted in each tenant's analytics database (runtime collections). */
  counterRules?: Rules & NoInfer<CounterRulesCheck<Schema['shape'], Indexed, Rules>>;
  validation?: { readonly requiredIndexed?: readonly NoInfer<Indexed>[] };
  /** The database type(s) and tier(s) the collection lives in. */
  placement: P;
  /** A top-level prop whose value titles a record in tools, e.g. `'name'` (Chronos Studio shows it as the row and record title). */
  displayField?: keyof Schema['shape'] & string;
  /**
   * Upcasters by the revision they produce: `{ 3: (v2) => ({ ... }) }` turns data written under
   * revision 2 into revision 3's. Type them with the generated `<Collection>Upcasters`:
   * `upcasters: { ... } satisfies CustomersUpcasters<z.input<typeof customerSchema>>`.
   */
  upcasters?: UpcasterMap;
}

/**
 * Declares a collection. Indexed props, base64 props, entity properties and key properties are
 * checked against the schema at compile time, and again at run time for JavaScript callers
 * (a {@link ConfigError} naming the field).
 *
 * @example
 * ```ts
 * export const customers = defineCollection({
 *   name: 'customers',
 *   schema: z.object({ customerId: z.string(), name: z.string() }),
 *   indexedProps: ['customerId'],
 *   placement: { databaseType: 'metadata', tiers: ['tenant'] },
 * });
 * ```
 */
export function defineCollection<
  const Name extends string,
  Schema extends ObjectSchema,
  const Indexed extends string,
  const P extends Placement | readonly Placement[],
  const Targets extends readonly AnyCollectionDefinition[] = [],
  const Base64 extends string = never,
  const Rules extends readonly DeclaredCounterRule[] = [],
>(
  declaration: CollectionDeclaration<Name, Schema, Indexed, P, Targets, Base64, Rules>,
): CollectionDefinition<Name, Schema, Indexed, P> {
  const definition: CollectionDefinition<Name, Schema, Indexed, P> = {
    [COLLECTION_BRAND]: true,
    name: declaration.name,
    schema: declaration.schema,
    indexedProps: [...(declaration.indexedProps as readonly Indexed[])],
    base64Props: { ...(declaration.base64Props as Record<string, Base64Prop> | undefined) },
    entities: ((declaration.entities ?? []) as readonly EntityDefinition[]).map((e) => ({ ...e })),
    counterRules: ((declaration.counterRules ?? []) as readonly DeclaredCounterRule[]).map((rule) => ({ ...rule }) as CounterRuleInput),
    validation: { ...declaration.validation },
    placement: declaration.placement,
    locations: locationsOf(declaration.placement as Placement | readonly Placement[]),
    ...(declaration.displayField !== undefined && { displayField: declaration.displayField }),
    upcasters: Object.freeze({ ...declaration.upcasters }),
  };
  checkDeclaration(definition, declaration);
  return Object.freeze(definition);
}

/** True when `value` was made by {@link defineCollection} (in any copy of the package). */
export function isCollectionDefinition(value: unknown): value is AnyCollectionDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[COLLECTION_BRAND] === true;
}

/**
 * The declaration exported as `exportName` by the module whose namespace is `module`. Generated
 * code names a declaration so (`import * as ordersModule`, then the module and `'orders'`):
 * naming the declaration itself in an expression makes an app's type-check infer its type (the
 * zod schema and every check of `defineCollection`) again in each file that does, while a
 * namespace and an export name cost nothing to check.
 *
 * @throws ConfigError when the export is not a declaration (generated code older than the module).
 */
export function exportedDeclaration(module: object, exportName: string): AnyCollectionDefinition {
  const value = (module as Record<string, unknown>)[exportName];
  if (!isCollectionDefinition(value)) {
    throw new ConfigError([{ path: [exportName], message: 'not a collection made by defineCollection (run chronos generate again)' }], 'Generated code: the schema module does not export its declaration');
  }
  return value;
}

/**
 * The declaration at the revision the lock file records for it: what the generated
 * `collections` give `initChronos`, so every version written is tagged with that revision. The
 * declaration is given as itself, or (what generated code does) as the namespace of the module
 * that exports it and the export's name.
 */
export function atRevision<D extends AnyCollectionDefinition>(definition: D, revision: number): D;
export function atRevision(module: object, exportName: string, revision: number): AnyCollectionDefinition;
export function atRevision(source: object, second: number | string, third?: number): AnyCollectionDefinition {
  const definition = typeof second === 'string' ? exportedDeclaration(source, second) : (source as AnyCollectionDefinition);
  const revision = typeof second === 'string' ? third : second;
  if (revision === undefined || !Number.isSafeInteger(revision) || revision < 1) throw new RangeError(`${definition.name}: a revision is a whole number from 1, got ${revision}`);
  return Object.freeze({ ...definition, revision });
}
