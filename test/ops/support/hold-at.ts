/**
 * Step-by-step interleavings: a fault hook that holds one operation at one step of its write
 * until the test releases it, so the test can run other operations in between.
 */
import type { WriteStep } from '../../../runtime/ops/context.js';

/** A hold on the first operation `op` that reaches `step`. */
export interface Hold {
  /** Resolves when the operation has reached the step and waits there. */
  reached: Promise<void>;
  /** Lets the operation go on. */
  release(): void;
  /** The fault hook to put in the operation's context (`faults`). */
  hook(step: WriteStep, info: { op: string }): Promise<void>;
}

/** Holds the first `op` that reaches `step` until {@link Hold.release} is called. */
export function holdAt(step: WriteStep, op: string): Hold {
  let armed = true;
  let reachedNow!: () => void;
  let releaseNow!: () => void;
  const reached = new Promise<void>((resolve) => (reachedNow = resolve));
  const released = new Promise<void>((resolve) => (releaseNow = resolve));
  return {
    reached,
    release: () => releaseNow(),
    async hook(s, info) {
      if (!armed || s !== step || info.op !== op) return;
      armed = false;
      reachedNow();
      await released;
    },
  };
}
