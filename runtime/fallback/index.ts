/**
 * The fallback queue: what the rest of Chronos (`initChronos`) uses to wire
 * `chronos.fallback` and to wrap writes. Internal to the package; `runtime/index.ts` decides
 * what users see.
 */
export { createFallbackQueue } from './fallback-queue.js';
export type { FallbackQueue, FallbackQueueConfig, QueueStep } from './fallback-queue.js';
export { withFallback } from './with-fallback.js';
export type { FallbackOps } from './with-fallback.js';
export { backoffDelay } from './backoff.js';
export { isTransientError } from '../retry/transient.js';
export { ReplayBlockedError } from './replay.js';
export { FALLBACK_OPS_COLLECTION } from './types.js';
export type {
  AppliedWrite,
  DeadLetterDoc,
  DrainReport,
  FallbackCreateResult,
  FallbackDeleteResult,
  FallbackErrorInfo,
  FallbackOptions,
  FallbackRoute,
  FallbackUpdateResult,
  FallbackWriteKind,
  QueuedOpDoc,
  QueuedWrite,
  QueuedWriteResult,
  ReplayOutcome,
} from './types.js';
