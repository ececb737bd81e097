/**
 * The background worker of the fallback queue: drain passes one after another on a timer, never
 * two at once, and a `stop()` that waits for the pass in flight.
 */
import type { DrainReport } from './types.js';

/** Handle of a running (or stopped) worker. */
export interface DrainWorker {
  /** Schedules the first pass at once; later passes `intervalMs` after the previous one ends. Idempotent. */
  start(): void;
  /** Cancels the next pass and resolves once the current one (if any) has finished. */
  stop(): Promise<void>;
}

/** What the worker runs and whom it tells. */
export interface DrainWorkerConfig {
  drain: () => Promise<DrainReport>;
  intervalMs: number;
  onPass?: (report: DrainReport) => void;
  onError?: (error: unknown) => void;
}

/**
 * Creates a stopped worker. The next pass is scheduled only after the previous one settles, so
 * passes never overlap however slow they are; timers are unref'd so a forgotten worker does not
 * keep the process alive.
 */
export function createDrainWorker(config: DrainWorkerConfig): DrainWorker {
  let active = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const schedule = (ms: number): void => {
    timer = setTimeout(run, ms);
    timer.unref();
  };

  function run(): void {
    timer = undefined;
    inFlight = config
      .drain()
      .then(
        (report) => quietly(() => config.onPass?.(report)),
        (error: unknown) => quietly(() => config.onError?.(error)),
      )
      .finally(() => {
        inFlight = undefined;
        if (active) schedule(config.intervalMs);
      });
  }

  return {
    start() {
      if (active) return;
      active = true;
      if (!inFlight) schedule(0);
    },
    async stop() {
      active = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

/** A listener's own failure must not stop the worker (nor become an unhandled rejection). */
function quietly(listener: () => void): void {
  try {
    listener();
  } catch {
    // Ignored on purpose: see above.
  }
}
