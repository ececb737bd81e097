/**
 * What the engine reports after a version becomes visible. Counters, analytics and other
 * observers subscribe to these; they never see a write that did not commit.
 */

/** The kind of write, as counter rules name it. */
export type WriteKind = 'CREATE' | 'UPDATE' | 'DELETE';

/** One committed version, described for observers. */
export interface WriteEvent {
  kind: WriteKind;
  /** Routed context of the write. */
  dbName: string;
  collection: string;
  tenantId?: string;
  /** Record id and the version just committed. */
  id: string;
  ov: number;
  cv: number;
  /** Commit time of the version. */
  at: Date;
  /** The indexed props of the new version (`scope: 'meta'` of counter rules). */
  meta: Record<string, unknown>;
  /** The full application data of the new version (`scope: 'payload'`). */
  data: Record<string, unknown>;
  /**
   * The indexed props of the version this one replaced, or null when there was none (a create):
   * what counter rules that count transitions compare `meta` with.
   */
  previousMeta: Record<string, unknown> | null;
}

/** Receives committed writes. Called after the commit; a failure here never undoes the write. */
export type WriteObserver = (event: WriteEvent) => void | Promise<void>;
