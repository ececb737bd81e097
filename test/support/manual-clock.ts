/**
 * A clock that moves only when the test moves it, for the engine's clock seam (`clock` in an
 * engine context or a queue config): leases, claims, backoff and deadlines that read it run out
 * when the test says so, without waiting on the real clock.
 */

/** A clock the test moves by hand. */
export interface ManualClock {
  /** The seam to hand to the engine: the current reading. */
  clock: () => Date;
  /** The current reading in ms since the epoch. */
  ms(): number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Sets the clock to `at` (ms since the epoch or an ISO string). */
  set(at: number | string): void;
}

/** A {@link ManualClock} starting at `start` (default: the real time now). */
export function manualClock(start: number | string = Date.now()): ManualClock {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  return {
    clock: () => new Date(now),
    ms: () => now,
    advance: (ms) => void (now += ms),
    set: (at) => void (now = typeof at === 'string' ? Date.parse(at) : at),
  };
}
