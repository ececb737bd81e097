/**
 * Lineage at creation: `parentRecord` sets parentId/parentCollection and the origin is inherited
 * from the parent's head (or is the parent itself when the parent has none or is not found);
 * an explicit `origin` wins, and an origin in an external `system` is recorded as
 * `"system:collection"`.
 */
import { ValidationError } from '../errors.js';
import type { Engine } from './engine.js';
import { mongoNames } from './context.js';
import { headStore } from '../mongo/stores.js';
import type { Lineage } from './stored-state.js';
import type { CreateOptions } from './types.js';
import { checkWellFormed } from './input-validation.js';

function checkRef(value: unknown, field: string): string {
  const path = ['options', ...field.split('.')];
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw ValidationError.at(path, `expected a non-empty string of at most 200 characters`);
  }
  return checkWellFormed(value, path);
}

/** Validates the lineage options; throws before anything is read or written. */
export function checkLineage(options: CreateOptions | undefined): CreateOptions {
  if (!options) return {};
  const out: CreateOptions = {};
  if (options.parentRecord !== undefined) {
    const id = checkRef(options.parentRecord?.id, 'parentRecord.id');
    const collection = checkRef(options.parentRecord?.collection, 'parentRecord.collection');
    mongoNames(collection);
    out.parentRecord = { id, collection };
  }
  if (options.origin !== undefined) {
    const o = options.origin;
    out.origin = { id: checkRef(o?.id, 'origin.id'), collection: checkRef(o?.collection, 'origin.collection') };
    if (o.system !== undefined) out.origin.system = checkRef(o.system, 'origin.system');
  }
  return out;
}

/** The lineage fields of a new record. Reads the parent's head (same database) to inherit its origin. */
export async function resolveLineage(engine: Engine, options: CreateOptions): Promise<Lineage> {
  const lineage: Lineage = {};
  const parent = options.parentRecord;
  if (parent) {
    lineage.parentId = parent.id;
    lineage.parentCollection = parent.collection;
    const head = await headStore(engine.ctx.db, parent.collection).origin(parent.id);
    lineage.originId = head?.originId ?? parent.id;
    lineage.originCollection = head?.originId ? head.originCollection ?? parent.collection : parent.collection;
  }
  if (options.origin) {
    const { id, collection, system } = options.origin;
    lineage.originId = id;
    lineage.originCollection = system ? `${system}:${collection}` : collection;
  }
  return lineage;
}
