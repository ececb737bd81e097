/**
 * The base of every generated repository: the typed operations over the engine's untyped
 * {@link CollectionOps}, validating with the declaration's zod schema before every write. It is
 * written (and type-checked) once here; a generated repository only names its types, which keeps
 * both generation and the application's type-check cheap however many collections there are.
 */
import type {
  ChronosRecord,
  CollectionOps,
  CreateOptions,
  CreateResult,
  DeepPartial,
  DeleteResult,
  EnrichOptions,
  EntityResult,
  ListPage,
  MetaFilter,
  ReadOptions,
  RestoreObjectTarget,
  SystemFields,
  UpdateResult,
  VersionInfo,
  WriteOptions,
  CreateManyOptions,
} from '../ops/types.js';
import { exportedDeclaration, type CollectionHandle } from './define-collection.js';
import { entityMappingsOf, entityObject } from './entity-support.js';
import type { TypedListQuery } from './typed-query.js';
import { validatePatch, validateRecord, validateRecords } from './validate-input.js';

/** The engine's record, typed as the collection's: every write was validated with its schema. */
function typed<T extends object>(record: ChronosRecord | null): ChronosRecord<T> | null {
  return record as unknown as ChronosRecord<T> | null;
}

/**
 * Options of a typed `restoreObject`: the engine's own (`expectedOv` makes the restore
 * compare-and-set, refused with a ConflictError when the head has moved on).
 */
export type RestoreObjectOptions = NonNullable<Parameters<CollectionOps['restoreObject']>[4]>;

/**
 * A version exactly as stored, for audits: its payload may follow any revision of the
 * declaration (`_system.revision` says which), so it is typed `unknown`.
 */
export interface RawRecord {
  _id: string;
  _system: SystemFields;
  /** The application data as written, never upcast or parsed. */
  data: unknown;
}

/**
 * Typed operations on one collection in one routed database. `Data` is the stored data,
 * `Input` what writes accept, `Filter` and `Sort` the collection's closed `listByMeta` types.
 * Bad input throws a ValidationError naming the field, and nothing is written.
 */
export class CollectionRepository<Data extends object, Input, Filter extends MetaFilter, Sort extends Record<string, 1 | -1>> {
  /**
   * @param ops - the engine's operations on the collection in one routed database.
   * @param declaration - the collection's declaration (its schema validates every write).
   */
  constructor(
    protected readonly ops: CollectionOps,
    protected readonly declaration: CollectionHandle,
  ) {}

  /** Creates a record (ov 0) after validating it. */
  async create(input: Input, actor?: string, reason?: string, options?: CreateOptions): Promise<CreateResult> {
    return this.ops.create(validateRecord(this.declaration, input), actor, reason, options);
  }

  /** Creates several records; all are validated before the first is written. */
  async createMany(inputs: readonly Input[], actor?: string, reason?: string, options?: CreateManyOptions): Promise<CreateResult[]> {
    return this.ops.createMany(validateRecords(this.declaration, inputs), actor, reason, options);
  }

  /** Replaces a record's data with a new version; with `expectedOv`, only if the head is still at that version. */
  async update(id: string, input: Input, expectedOv?: number, actor?: string, reason?: string, options?: WriteOptions): Promise<UpdateResult> {
    return this.ops.update(id, validateRecord(this.declaration, input), expectedOv, actor, reason, options);
  }

  /** Deep-merges a partial record (or several, in order) into a new version. */
  async enrich(id: string, patch: DeepPartial<Data> | DeepPartial<Data>[], options?: EnrichOptions): Promise<UpdateResult> {
    return this.ops.enrich(id, validatePatch(this.declaration, patch) as DeepPartial<Record<string, unknown>>, options);
  }

  /** Deletes a record (logically, unless the configuration says otherwise). */
  async delete(id: string, expectedOv?: number, actor?: string, reason?: string, options?: WriteOptions): Promise<DeleteResult> {
    return this.ops.delete(id, expectedOv, actor, reason, options);
  }

  /** The latest version, or null. */
  async getLatest(id: string, options?: ReadOptions): Promise<ChronosRecord<Data> | null> {
    return typed<Data>(await this.ops.getLatest(id, options));
  }

  /** One version by its ov, or null. */
  async getVersion(id: string, ov: number, options?: ReadOptions): Promise<ChronosRecord<Data> | null> {
    return typed<Data>(await this.ops.getVersion(id, ov, options));
  }

  /** The version that was current at `at`, or null. */
  async getAsOf(id: string, at: string | Date, options?: ReadOptions): Promise<ChronosRecord<Data> | null> {
    return typed<Data>(await this.ops.getAsOf(id, at, options));
  }

  /** One page of records matching a filter on indexed props (sent as a plain find filter). */
  async listByMeta(query?: TypedListQuery<Filter, Sort>, options?: ReadOptions): Promise<ListPage<Data>> {
    return (await this.ops.listByMeta(query, options)) as unknown as ListPage<Data>;
  }

  /**
   * The latest version (or version `ov`) exactly as stored, not brought to the current
   * declaration: what an audit of old data needs. Null when there is none (a logically deleted
   * latest version is returned).
   */
  async getRaw(id: string, options: { ov?: number } = {}): Promise<RawRecord | null> {
    const record =
      options.ov === undefined ? await this.ops.getLatest(id, { raw: true, includeDeleted: true }) : await this.ops.getVersion(id, options.ov, { raw: true });
    if (!record) return null;
    const { _id, _system, ...data } = record;
    return { _id, _system, data };
  }

  /** Every version of a record, oldest first. */
  async history(id: string): Promise<VersionInfo[]> {
    return this.ops.history(id);
  }

  /** Makes an earlier version (by ov or instant) the latest, as a new version (the same name as the untyped API's). */
  async restoreObject(id: string, target: RestoreObjectTarget, actor?: string, reason?: string, options?: RestoreObjectOptions): Promise<UpdateResult> {
    return this.ops.restoreObject(id, target, actor, reason, options);
  }

  /** @deprecated Use {@link restoreObject}, the name the untyped API uses; this alias stays for existing callers. */
  async restore(id: string, target: RestoreObjectTarget, actor?: string, reason?: string, options?: RestoreObjectOptions): Promise<UpdateResult> {
    return this.restoreObject(id, target, actor, reason, options);
  }

  /** Validates the record and its entities, then `insertWithEntities` with the declared mappings; results keyed by property. */
  protected async saveWithEntities(input: Input, actor?: string, reason?: string): Promise<{ mainRecordId: string; entityResults: Record<string, EntityResult> }> {
    const result = await this.ops.insertWithEntities(validateRecord(this.declaration, input), entityMappingsOf(this.declaration), actor, reason);
    return { mainRecordId: result.mainRecordId, entityResults: entityObject(result.entityResults) };
  }

  /** `getWithEntities` with the declared mappings; entity records keyed by property. */
  protected async readWithEntities(id: string, options?: ReadOptions): Promise<{ mainRecord: ChronosRecord<Data> | null; entityRecords: Record<string, ChronosRecord> }> {
    const result = await this.ops.getWithEntities(id, entityMappingsOf(this.declaration), options);
    return { mainRecord: typed<Data>(result.mainRecord), entityRecords: entityObject(result.entityRecords) };
  }
}

/**
 * The class behind every generated repository. Not generic: each generated repository is an
 * interface with its collection's exact method signatures plus a constructor made by
 * {@link declaredRepository}, so an application's type-check reads plain per-collection types
 * instead of instantiating (and comparing) a generic class per collection. The methods here do
 * the work and the validation for all of them.
 */
export class DeclaredRepository extends CollectionRepository<object, unknown, MetaFilter, Record<string, 1 | -1>> {
  /** Validates the record and its entities, saves each entity to its own collection, then creates the record. */
  async insertWithEntities(input: unknown, actor?: string, reason?: string): Promise<{ mainRecordId: string; entityResults: Record<string, EntityResult> }> {
    return this.saveWithEntities(input, actor, reason);
  }

  /** Reads a record and the latest version of each entity it references. */
  async getWithEntities(id: string, options?: ReadOptions): Promise<{ mainRecord: ChronosRecord<object> | null; entityRecords: Record<string, ChronosRecord> }> {
    return this.readWithEntities(id, options);
  }
}

/**
 * The constructor of a generated repository: a subclass of {@link DeclaredRepository} bound to
 * one declaration, typed as the generated interface `R` (which the generator derives from the
 * same declaration, so the two agree by construction). The declaration is given as itself, or
 * (what generated code does) as the namespace of the module that exports it and the export's name.
 */
export function declaredRepository<R>(declaration: CollectionHandle): new (ops: CollectionOps) => R;
export function declaredRepository<R>(module: object, exportName: string): new (ops: CollectionOps) => R;
export function declaredRepository<R>(source: object, exportName?: string): new (ops: CollectionOps) => R {
  const declaration = exportName === undefined ? (source as CollectionHandle) : exportedDeclaration(source, exportName);
  const Repository = class extends DeclaredRepository {
    constructor(ops: CollectionOps) {
      super(ops, declaration);
    }
  };
  Object.defineProperty(Repository, 'name', { value: `${declaration.name.replace(/(?:^|[_\s-]+)(\w)/g, (_m, c: string) => c.toUpperCase())}Repository` });
  return Repository as unknown as new (ops: CollectionOps) => R;
}
