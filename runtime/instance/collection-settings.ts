/**
 * Maps the config onto the settings the engine takes for one collection: its `collectionMaps`
 * entry plus the instance-wide switches (logical delete, versioning, transactions, payload
 * compression, dev shadow).
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import { resolveCollectionSettings, type CollectionSettings } from '../ops/context.js';
import { DEFAULT_COMPRESSION_MIN_BYTES } from '../ops/store/payload-codec.js';
import { devShadowSettings } from '../ops/dev-shadow.js';
import { declarationsOf } from '../config/parse-config.js';
import { schemaValidator } from '../schema/validate-input.js';
import type { AnyCollectionDefinition } from '../schema/define-collection.js';

const validators = new WeakMap<AnyCollectionDefinition, NonNullable<CollectionSettings['validate']>>();

/** The engine's validation hook of a declared collection, made once per declaration. */
function validatorOf(declaration: AnyCollectionDefinition): NonNullable<CollectionSettings['validate']> {
  let validate = validators.get(declaration);
  if (!validate) {
    validate = schemaValidator(declaration);
    validators.set(declaration, validate);
  }
  return validate;
}

/**
 * The engine settings of `collection`. A collection without a `collectionMaps` entry has no
 * indexed props: it is still fully versioned, and `listByMeta` filters on `_system` fields only.
 * A collection declared in the config's `collections` is also validated with its zod schema on
 * every write (its `collectionMaps` entry was derived from the same declaration).
 */
export function collectionSettingsFor(config: ParsedChronosConfig, collection: string): CollectionSettings {
  const map = config.collectionMaps[collection];
  const declaration = declarationsOf(config).get(collection);
  return resolveCollectionSettings({
    ...(declaration && { validate: validatorOf(declaration) }),
    indexedProps: map?.indexedProps ?? [],
    base64Props: map?.base64Props ?? {},
    requiredIndexed: map?.validation?.requiredIndexed ?? [],
    logicalDelete: config.logicalDelete.enabled,
    versioning: config.versioning.enabled,
    transactions: { enabled: config.transactions.enabled, autoDetect: config.transactions.autoDetect },
    compression: { enabled: config.writeOptimization.compressionEnabled ?? false, minBytes: DEFAULT_COMPRESSION_MIN_BYTES },
    devShadow: devShadowSettings(config.devShadow),
  });
}
