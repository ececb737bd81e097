/**
 * Maps the config onto the settings the engine takes for one collection: its `collectionMaps`
 * entry plus the instance-wide switches (logical delete, versioning, payload
 * compression, dev shadow).
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import { resolveCollectionSettings, type CollectionSettings } from '../ops/context.js';
import { DEFAULT_COMPRESSION_MIN_BYTES } from '../ops/store/payload-codec.js';
import { devShadowSettings } from '../ops/dev-shadow.js';
import { declarationsOf } from '../config/parse-config.js';
import { schemaValidator } from '../schema/validate-input.js';
import type { AnyCollectionDefinition } from '../schema/define-collection.js';
import { currentRevision, upgraderOf } from '../schema/upcasters.js';

type DeclaredHooks = Required<Pick<CollectionSettings, 'validate' | 'revision' | 'upgrade'>>;

const hooks = new WeakMap<AnyCollectionDefinition, DeclaredHooks>();

/** The engine's hooks of a declared collection (validation, revision, upgrade of older data), made once per declaration. */
function hooksOf(declaration: AnyCollectionDefinition): DeclaredHooks {
  let made = hooks.get(declaration);
  if (!made) {
    made = { validate: schemaValidator(declaration), revision: currentRevision(declaration), upgrade: upgraderOf(declaration) };
    hooks.set(declaration, made);
  }
  return made;
}

/**
 * The engine settings of `collection`. A collection without a `collectionMaps` entry has no
 * indexed props: it is still fully versioned, and `listByMeta` filters on `_system` fields only.
 * A collection declared in the config's `collections` is also validated with its zod schema on
 * every write (its `collectionMaps` entry was derived from the same declaration), every version
 * written is tagged with the declaration's revision, and reads bring older versions to it.
 */
export function collectionSettingsFor(config: ParsedChronosConfig, collection: string): CollectionSettings {
  const map = config.collectionMaps[collection];
  const declaration = declarationsOf(config).get(collection);
  return resolveCollectionSettings({
    ...(declaration && hooksOf(declaration)),
    indexedProps: map?.indexedProps ?? [],
    base64Props: map?.base64Props ?? {},
    requiredIndexed: map?.validation?.requiredIndexed ?? [],
    logicalDelete: config.logicalDelete.enabled,
    versioning: config.versioning.enabled,
    compression: { enabled: config.writeOptimization.compressionEnabled ?? false, minBytes: DEFAULT_COMPRESSION_MIN_BYTES },
    devShadow: devShadowSettings(config.devShadow),
  });
}
