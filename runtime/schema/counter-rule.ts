import type { WriteKind } from '../ops/write-event.js';

/**
 * A counter rule as `initChronos` takes it (`counterRules.rules[]`): count committed writes whose
 * indexed props (`scope: 'meta'`) or data (`scope: 'payload'`) match `when`.
 */
export interface CounterRule {
  /** Unique across all collections. */
  readonly name: string;
  /** Which writes count; all kinds when absent. */
  readonly on?: readonly WriteKind[];
  readonly scope?: 'meta' | 'payload';
  /** A match over the record, in find-filter syntax. */
  readonly when: Readonly<Record<string, unknown>>;
  /** Props whose distinct values are also counted. */
  readonly countUnique?: readonly string[];
}
