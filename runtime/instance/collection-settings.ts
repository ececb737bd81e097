/**
 * Maps the config onto the settings the engine takes for one collection: its `collectionMaps`
 * entry plus the instance-wide switches (logical delete, versioning, transactions, payload
 * compression, dev shadow).
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import { resolveCollectionSettings, type CollectionSettings } from '../ops/context.js';
import { DEFAULT_COMPRESSION_MIN_BYTES } from '../ops/store/payload-codec.js';
import { devShadowSettings } from '../ops/dev-shadow.js';

/**
 * The engine settings of `collection`. A collection without a `collectionMaps` entry has no
 * indexed props: it is still fully versioned, and `listByMeta` filters on `_system` fields only.
 */
export function collectionSettingsFor(config: ParsedChronosConfig, collection: string): CollectionSettings {
  const map = config.collectionMaps[collection];
  return resolveCollectionSettings({
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
