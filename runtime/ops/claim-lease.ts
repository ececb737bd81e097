/**
 * The lease a writer holds on its claim while its write is in flight. The claim row carries
 * `leaseUntil`; a timer renews it every third of the lease, so a live writer, however slow its
 * payload upload, never looks dead. A writer that dies stops renewing, and once `leaseUntil`
 * plus the allowed clock skew has passed, the next writer of the record (or reconcile) settles
 * the claim (`settle-claim.ts`). The writer itself checks the lease before each step that a
 * settled claim must not take (writing the payload, moving the head), so it never acts on a
 * claim that may have been taken from it.
 */
import { ChronosError } from '../errors.js';
import type { Engine } from './engine.js';
import type { VersionRow } from './store/version-store.js';
import { DEFAULT_GRACE_MS } from './context.js';

/** Thrown by {@link ClaimLease.check}: the claim may no longer be ours. Never retried. */
export class LeaseLostError extends ChronosError {
  /** `settled`: another writer or reconcile took the claim; `expired`: it could not be renewed in time. */
  readonly reason: 'settled' | 'expired';

  constructor(message: string, reason: 'settled' | 'expired') {
    super(message, 'CONFLICT');
    this.reason = reason;
  }
}

/** A held lease; {@link stop} it when the write has finished or failed. */
export interface ClaimLease {
  /** Throws {@link LeaseLostError} when the lease ran out or the claim was settled by someone else. */
  check(what: string): void;
  /** Like {@link check}, but first renews a lease that is close to running out (one round trip, only then). */
  confirm(what: string): Promise<void>;
  /** Stops renewing. */
  stop(): void;
}

/** Starts renewing the lease of `row`, which the caller has just claimed with `row.leaseUntil` set. */
export function holdLease(engine: Engine, row: VersionRow): ClaimLease {
  let until = (row.leaseUntil as Date).getTime();
  let lost = false;
  const renew = async (): Promise<void> => {
    const now = engine.now().getTime();
    // A lease that has run out stays out: a settler may already have acted on it.
    if (lost || now >= until) return;
    const next = new Date(now + engine.leaseMs);
    try {
      if (await engine.ver.renewLease(row.id, row.ov, row.claim, next)) until = next.getTime();
      else lost = true;
    } catch {
      // Unreachable server: the lease runs out unless a later renewal gets through.
    }
  };
  const timer = setInterval(() => void renew(), Math.max(10, Math.floor(engine.leaseMs / 3)));
  timer.unref();
  const check = (what: string): void => {
    if (lost) throw new LeaseLostError(`the claim on ${row.id} v${row.ov} was settled by another writer before ${what}: re-read and retry`, 'settled');
    if (engine.now().getTime() >= until) {
      throw new LeaseLostError(`the claim on ${row.id} v${row.ov} ran out of its ${engine.leaseMs} ms lease before ${what} (the server could not be reached to renew it): retry`, 'expired');
    }
  };
  return {
    check,
    async confirm(what) {
      if (!lost && until - engine.now().getTime() < engine.leaseMs / 3) await renew();
      check(what);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * True when the writer of a pending claim is known dead: it said it gave up (`abandoned`), or its
 * lease ran out more than the clock skew ago. Rows from before leases existed fall back to
 * `claimedAt` plus {@link DEFAULT_GRACE_MS}.
 */
export function holderIsDead(engine: Engine, holder: VersionRow): boolean {
  if (holder.abandoned) return true;
  const now = engine.now().getTime();
  if (holder.leaseUntil) return holder.leaseUntil.getTime() + engine.clockSkewMs < now;
  return holder.claimedAt.getTime() + DEFAULT_GRACE_MS < now;
}
