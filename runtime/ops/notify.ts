/**
 * Tells the context's observers about a committed version. Observers run after the commit and
 * their failures never undo it; a failure is reported as a process warning, not thrown to the
 * writer, whose write did succeed. Delivery is at most once: a crash after the commit skips it
 * (the counters find such versions again in `admin.reconcile()`: `counters/uncounted-versions.ts`).
 */
import type { Engine } from './engine.js';
import type { WriteEvent } from './write-event.js';

/** The part of a {@link WriteEvent} a write knows; the route is added here. */
export type CommittedWrite = Omit<WriteEvent, 'dbName' | 'collection' | 'tenantId'>;

/** Calls every observer in order with the event of one committed write. */
export async function notifyObservers(engine: Engine, write: CommittedWrite): Promise<void> {
  const { routeInfo, collection, observers } = engine.ctx;
  if (observers.length === 0) return;
  const event: WriteEvent = {
    ...write,
    dbName: routeInfo.dbName,
    collection,
    ...(routeInfo.tenantId !== undefined ? { tenantId: routeInfo.tenantId } : {}),
  };
  for (const observer of observers) {
    try {
      await observer(event);
    } catch (e) {
      process.emitWarning(`chronos: a write observer failed for ${collection}/${event.id} v${event.ov}: ${String(e)}`);
    }
  }
}
