/**
 * Errors of the counter pipeline. Only {@link CountersPendingError} reaches callers (from
 * `admin.flush()`); the other two are signals between the batch writer and the recorder.
 */
import { ChronosError } from '../errors.js';
import type { CounterStep } from './counter-writer.js';

/**
 * `admin.flush()` could not make every counted write durable (the analytics database failed). Nothing
 * is lost: the increments stay journaled or queued and the next flush (or `admin.reconcile()`)
 * finishes them exactly once. The driver's error is the `cause`.
 */
export class CountersPendingError extends ChronosError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'COUNTERS_PENDING', options);
  }
}

/** Thrown by the counter fault hook (tests): the batch stops there as if the process had died; nothing is retried or cleaned up. */
export class InjectedCounterCrash extends Error {
  constructor(readonly step: CounterStep, options?: { cause?: unknown }) {
    super(`injected counter crash after ${step}`, options);
    this.name = 'InjectedCounterCrash';
  }
}

/** A batch outlived its writer's lease: the writer leaves it to the recovery pass, which may then finish it without racing the writer. */
export class CounterLeaseExpired extends Error {
  constructor(readonly batchId: string, readonly leaseMs: number) {
    super(`counter batch ${batchId} is older than its ${leaseMs} ms lease; admin.reconcile() finishes it`);
    this.name = 'CounterLeaseExpired';
  }
}
