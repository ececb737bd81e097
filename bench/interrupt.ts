/**
 * Ctrl-C during a bench stops it at the next operation and still runs the cleanup, so an
 * interrupted run leaves no databases or buckets behind. A second signal quits at once.
 */

let received: NodeJS.Signals | null = null;

/** Installs the SIGINT / SIGTERM handlers for this run. */
export function watchSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      received = signal;
      console.error(`\n${signal}: stopping after the current operation, then cleaning up (send it again to quit without cleanup)`);
      process.once(signal, () => process.exit(130));
    });
  }
}

/** Throws when a stop signal arrived; called between operations by the measuring loops. */
export function checkInterrupted(): void {
  if (received) throw new Error(`interrupted by ${received}`);
}
