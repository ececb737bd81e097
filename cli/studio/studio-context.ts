/**
 * What every Studio handler works with: the engine instance, the declarations (when the config
 * names any) and whether writes are allowed.
 */
import type { Chronos } from '../../runtime/chronos.js';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';

/** The state one Studio server shares between its handlers. */
export interface StudioContext {
  chronos: Chronos;
  /** Declarations by collection name (empty when the config has none). */
  declarations: ReadonlyMap<string, AnyCollectionDefinition>;
  /** True with `--write`: restore is offered and accepted. */
  write: boolean;
  /** The CSRF token the page sends back on writes. */
  csrf: string;
}
