/**
 * Spreading routing keys over several backends. Both algorithms move few keys when a backend
 * is added: rendezvous (highest random weight) about 1/n of them, to the new backend only;
 * jump consistent hashing the same, with O(log n) time but backends only appended at the end.
 */
import { createHash } from 'node:crypto';

/** The algorithms `routing.hashAlgo` accepts. */
export type HashAlgo = 'rendezvous' | 'jump';

function hash64(text: string): bigint {
  return createHash('sha256').update(text).digest().readBigUInt64BE(0);
}

/** Index of the backend with the highest weight for `key` (rendezvous / HRW hashing). */
export function rendezvousIndex(key: string, backends: readonly string[]): number {
  let best = -1;
  let bestScore = -1n;
  backends.forEach((backend, i) => {
    const score = hash64(`${key}\u0000${backend}`);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

const MASK64 = (1n << 64n) - 1n;

/** Bucket of `key` among `count` buckets (Lamping and Veach's jump consistent hash). */
export function jumpIndex(key: string, count: number): number {
  let k = hash64(key);
  let b = -1;
  let j = 0;
  while (j < count) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK64;
    j = Math.floor(((b + 1) * 2 ** 31) / Number((k >> 33n) + 1n));
  }
  return b;
}

/** Picks one of `backends` for `key` with the configured algorithm. */
export function chooseBackend(algo: HashAlgo, key: string, backends: readonly string[]): number {
  if (backends.length <= 1) return 0;
  return algo === 'jump' ? jumpIndex(key, backends.length) : rendezvousIndex(key, backends);
}
