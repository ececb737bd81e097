/**
 * What the Studio knows about a collection's fields: its indexed props, with the input type a
 * filter on each takes when a declaration gives one (`string` otherwise, as the config alone
 * says nothing about types), and its base64 props.
 */
import type { ParsedChronosConfig } from '../../runtime/config/schema.js';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { fieldAt, unwrap, type ZodSchemaLike } from '../../runtime/schema/zod-shape.js';

/** The kind of input a filter on an indexed prop shows. */
export type FilterInputKind = 'string' | 'number' | 'boolean' | 'datetime' | 'enum';

/** One indexed prop and how to filter on it. */
export interface FilterField {
  prop: string;
  kind: FilterInputKind;
  /** The allowed values of an enum. */
  values?: string[];
  /** True when the type comes from a declaration rather than a default. */
  declared: boolean;
}

/** The fields of one collection the Studio needs. */
export interface CollectionFields {
  filters: FilterField[];
  /** Top-level props stored as base64 (shown as download links). */
  base64Props: string[];
  /** The prop whose value titles a record (the declaration's `displayField`), if any. */
  displayField?: string;
}

interface EnumDefLike {
  type: string;
  format?: string;
  entries?: Record<string, string | number>;
}

function kindOf(schema: ZodSchemaLike | undefined): Omit<FilterField, 'prop'> {
  if (!schema) return { kind: 'string', declared: false };
  const def = unwrap(schema)._zod.def as unknown as EnumDefLike;
  if (def.type === 'number' || def.type === 'int' || def.type === 'bigint') return { kind: 'number', declared: true };
  if (def.type === 'boolean') return { kind: 'boolean', declared: true };
  if (def.type === 'date' || (def.type === 'string' && (def.format === 'datetime' || def.format === 'date'))) return { kind: 'datetime', declared: true };
  if (def.type === 'enum' && def.entries) return { kind: 'enum', values: Object.values(def.entries).map(String), declared: true };
  return { kind: 'string', declared: true };
}

/** The filter fields and base64 props of `collection`, from its declaration when there is one, else from the config's `collectionMaps`. */
export function collectionFields(collection: string, config: ParsedChronosConfig, declaration: AnyCollectionDefinition | undefined): CollectionFields {
  const map = config.collectionMaps[collection];
  const indexed = declaration ? [...declaration.indexedProps] : (map?.indexedProps ?? []);
  const base64 = declaration ? Object.keys(declaration.base64Props) : Object.keys(map?.base64Props ?? {});
  return {
    filters: indexed.map((prop) => ({ prop, ...kindOf(declaration ? fieldAt(declaration.schema as unknown as ZodSchemaLike, prop) : undefined) })),
    base64Props: base64,
    ...(declaration?.displayField !== undefined && { displayField: declaration.displayField }),
  };
}

/**
 * Turns the text of a filter input into the value `listByMeta` compares with: a number for a
 * numeric field, a boolean for a boolean one, text otherwise (datetimes stay ISO text, as
 * declarations store them). Undefined for an empty input or a value the kind cannot take.
 */
export function filterValue(field: FilterField, text: string): unknown {
  if (text === '') return undefined;
  if (field.kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (field.kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (field.kind === 'enum' && field.values && !field.values.includes(text)) return undefined;
  return text;
}
