/**
 * Fault injection for the fallback suites: a real ObjectStore whose writes fail a chosen number
 * of times and then recover, optionally held at a gate so a test can act while a write is in
 * flight. Gets and heads always go through, so the suites can see what really got stored.
 */
import type { ObjectStore } from '../../../runtime/storage/object-store.js';

/** The wrapped store plus its fault controls. */
export interface FailingStore extends ObjectStore {
  /** The next `n` puts throw (a network-style error the engine reports as a transient StorageError). */
  failPuts(n: number): void;
  /** The next `n` writes or listings (put, delete, deleteMany, list) throw: a full outage, so even the engine's rollback fails. */
  failWrites(n: number): void;
  /** Puts fail until {@link recover}. */
  failPutsForever(): void;
  recover(): void;
  /** Puts wait until the returned `open()` is called; `reached` resolves when the first one waits. */
  gatePuts(): { reached: Promise<void>; open: () => void };
  /** Puts attempted so far (failed ones included). */
  readonly putCalls: number;
}

/** Wraps `inner` (a real store) with the controls of {@link FailingStore}. */
export function failingStore(inner: ObjectStore): FailingStore {
  let putFailures = 0;
  let writeFailures = 0;
  let forever = false;
  let puts = 0;
  let gate: { wait: Promise<void>; reached: () => void } | undefined;

  const outage = (what: string) => new Error(`injected outage: ${what} failed (connection reset)`);
  const checkWrite = (what: string): void => {
    if (writeFailures > 0) {
      writeFailures -= 1;
      throw outage(what);
    }
  };

  return {
    kind: inner.kind,
    ensureBucket: (bucket) => inner.ensureBucket(bucket),
    async put(bucket, key, body, options) {
      puts += 1;
      if (gate) {
        gate.reached();
        await gate.wait;
      }
      if (forever) throw outage('put');
      if (putFailures > 0) {
        putFailures -= 1;
        throw outage('put');
      }
      checkWrite('put');
      return inner.put(bucket, key, body, options);
    },
    get: (bucket, key) => inner.get(bucket, key),
    head: (bucket, key) => inner.head(bucket, key),
    async delete(bucket, key) {
      checkWrite('delete');
      return inner.delete(bucket, key);
    },
    async deleteMany(bucket, keys) {
      checkWrite('deleteMany');
      return inner.deleteMany(bucket, keys);
    },
    async list(bucket, options) {
      checkWrite('list');
      return inner.list(bucket, options);
    },
    presignGet: (bucket, key, ttl) => inner.presignGet(bucket, key, ttl),
    close: () => inner.close(),
    failPuts(n) {
      putFailures = n;
    },
    failWrites(n) {
      writeFailures = n;
    },
    failPutsForever() {
      forever = true;
    },
    recover() {
      forever = false;
      putFailures = 0;
      writeFailures = 0;
    },
    gatePuts() {
      let open!: () => void;
      let reached!: () => void;
      const wait = new Promise<void>((resolve) => (open = resolve));
      const reachedP = new Promise<void>((resolve) => (reached = resolve));
      gate = { wait, reached };
      return {
        reached: reachedP,
        open: () => {
          gate = undefined;
          open();
        },
      };
    },
    get putCalls() {
      return puts;
    },
  };
}
