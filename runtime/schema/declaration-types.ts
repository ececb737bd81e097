/**
 * The compile-time checks of a collection declaration. Each check looks only at the names the
 * declaration actually uses (an indexed prop, a base64 prop, a `when` key) and resolves the zod
 * field behind that one name; nothing here walks every field of the schema, which is what made
 * a program with many declarations slow to type-check. A name that fails a check becomes a
 * string literal type that says what is wrong and how to fix it, so the compiler's message
 * reads e.g. `Type '"amout"' is not assignable to type '"amout: not an indexed prop (index it,
 * or use scope 'payload' to read the record's data)"'`.
 */
import type { output, ZodNullable, ZodOptional, ZodString } from 'zod';
import type { FieldCondition } from './typed-query.js';
import type { Base64Prop } from './define-collection.js';

/** The schema under optional / nullable / default wrappers (each keeps its inner schema in `def.innerType`). */
type Unwrapped<S> = S extends { _zod: { def: { innerType: infer I } } } ? Unwrapped<I> : S;

/** The field schemas of an object schema; no fields for any other schema. */
type ShapeOf<S> = S extends { shape: infer Shape extends object } ? Shape : Record<never, never>;

/** The field schemas of a (possibly optional, nullable or defaulted) object schema; no fields for any other schema. */
type InnerShape<S> = S extends { shape: infer Shape extends object } ? Shape : ShapeOf<Unwrapped<S>>;

/** The zod schema of the field at `Path` (a top-level key or `parent.child`); never when there is none. */
export type FieldSchemaAt<Shape, Path> = Path extends keyof Shape
  ? Shape[Path]
  : Path extends `${infer Head}.${infer Child}`
    ? Head extends keyof Shape
      ? Child extends keyof InnerShape<Shape[Head]>
        ? InnerShape<Shape[Head]>[Child]
        : never
      : never
    : never;

/** `Path` when it names a field of the schema (top-level, or one level into a nested object). */
type KnownPath<Shape, Path> = [FieldSchemaAt<Shape, Path>] extends [never] ? never : Path;

/** The message `indexedProps` shows for a name the schema does not have. */
type NotAField<Name> = `${Name & string}: not a field of the schema (use a top-level key or parent.child)`;

/**
 * What `indexedProps` accepts for each name written there: the name itself when the schema has
 * that field, else a message naming the fix. Written out rather than through {@link FieldSchemaAt}:
 * the compiler evaluates it for every name while it infers the declaration, and each extra
 * alias or `[never]` test there costs instantiations in every declaration of a program. A child
 * of a plain nested object is matched against its `shape` directly; one under an optional,
 * nullable or defaulted object goes through {@link InnerShape}.
 */
export type IndexedPropsOf<Shape, Indexed> = Indexed extends keyof Shape
  ? Indexed
  : Indexed extends `${infer Head extends keyof Shape & string}.${infer Child}`
    ? Shape[Head] extends { shape: { [K in Child]: unknown } }
      ? Indexed
      : Child extends keyof InnerShape<Shape[Head]>
        ? Indexed
        : NotAField<Indexed>
    : NotAField<Indexed>;

/**
 * The usual string fields, matched by identity before the structural test below: comparing a
 * field's schema with one of these is a lookup, while the structural test resolves every member
 * of zod's schema interfaces (the largest part of a base64 prop's cost to the compiler).
 */
type PlainStringSchema = ZodString | ZodOptional<ZodString> | ZodNullable<ZodString> | ZodOptional<ZodNullable<ZodString>>;

/** What `base64Props` accepts for `Name`: its settings when the schema has a string field there, else a message naming the fix. */
export type Base64PropOf<Shape, Name> = Name extends keyof Shape
  ? Shape[Name] extends PlainStringSchema
    ? Base64Prop
    : Unwrapped<Shape[Name]> extends { _zod: { def: { type: 'string' } } }
      ? Base64Prop
      : `${Name & string}: not a string field (base64 props hold base64 text)`
  : `${Name & string}: not a field of the schema`;

/** What a counter rule's `when` accepts for a field of type `V`: the value, or an operator object on it. */
export type WhenValue<V> = V | (FieldCondition<V> & object);

/** Why a rule may not name `Name`: indexed props for `meta` rules, schema paths for `payload` ones; never when it may. */
type NameProblem<Shape, Indexed, Payload, Name> = Payload extends true
  ? [KnownPath<Shape, Name>] extends [never]
    ? `${Name & string}: not a field of the schema (use a top-level key or parent.child)`
    : never
  : Name extends Indexed
    ? never
    : `${Name & string}: not an indexed prop (index it, or use scope 'payload' to read the record's data)`;

/** Why `Value` cannot match the field at `Name` (its type or enum); never when it can. */
type ValueProblem<Shape, Name, Value> = Value extends WhenValue<output<FieldSchemaAt<Shape, Name>>>
  ? never
  : `${Name & string}: the value is not of the field's type${output<FieldSchemaAt<Shape, Name>> extends string | number | boolean | null | undefined ? ` (${Literal<output<FieldSchemaAt<Shape, Name>>>})` : ''}`;

/** A field's type as written in a message: string literal unions (enums) spelled out. */
type Literal<V> = [V] extends [string] ? (string extends V ? 'string' : Join<V>) : [V] extends [number] ? 'number' : [V] extends [boolean] ? 'boolean' : 'its type';

/** A union of string literals as `'a' | 'b'`, for messages (enums are short). */
type Join<V extends string, All extends string = V> = [V] extends [never] ? '' : V extends unknown ? (Exclude<All, V> extends never ? `'${V}'` : `'${V}' | ${Join<Exclude<All, V>>}`) : never;

/** Every problem of one rule, as messages prefixed with where it is. */
type RuleProblems<Shape, Indexed, Rule, Where extends string, Payload = Rule extends { readonly scope: 'payload' } ? true : false> =
  | (Rule extends { readonly when: infer When }
      ? { [K in keyof When]: `${Where}.when.${NameProblem<Shape, Indexed, Payload, K> extends never ? ValueProblemOrNever<Shape, K, When[K]> : NameProblem<Shape, Indexed, Payload, K>}` }[keyof When]
      : never)
  | (Rule extends { readonly countUnique: readonly (infer U)[] } ? `${Where}.countUnique: ${NameProblem<Shape, Indexed, Payload, U>}` : never);

/** {@link ValueProblem}, or never when the value fits (so the template above collapses). */
type ValueProblemOrNever<Shape, Name, Value> = ValueProblem<Shape, Name, Value>;

/**
 * The problems of every counter rule of a declaration, as one union of messages (never when
 * there is none), e.g. `counterRules[0].when.status: the value is not of the field's type ('new' | 'paid')`.
 */
export type CounterRuleProblems<Shape, Indexed, Rules> = {
  [I in keyof Rules & `${number}`]: RuleProblems<Shape, Indexed, Rules[I], `counterRules[${I}]`>;
}[keyof Rules & `${number}`];

/** What `counterRules` must also be: nothing more when the rules pass, else the messages, so the compiler prints them. */
export type CounterRulesCheck<Shape, Indexed, Rules> = [CounterRuleProblems<Shape, Indexed, Rules>] extends [never] ? unknown : CounterRuleProblems<Shape, Indexed, Rules>;

/**
 * The props of an object schema that can be indexed: top-level keys, plus `parent.child` paths
 * one level into nested objects. Walks every field: for tools and tests, not for declarations.
 */
export type IndexablePath<Shape> = {
  [K in keyof Shape & string]: K | `${K}.${keyof ShapeOf<Unwrapped<Shape[K]>> & string}`;
}[keyof Shape & string];

/** Keys of an object schema whose field is a string: only those can hold base64 content. */
export type StringKeys<Shape> = {
  [K in keyof Shape & string]-?: Unwrapped<Shape[K]> extends { _zod: { def: { type: 'string' } } } ? K : never;
}[keyof Shape & string];
