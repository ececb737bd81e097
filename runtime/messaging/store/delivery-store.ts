/** One tenant's delivery records (`deliveries`): every query on that collection lives in this file. */
import { TenantStore } from '../../mongo/tenant-store.js';
import type { DeliveryRecord } from '../types.js';

/** A document of `deliveries`. */
export interface DeliveryDoc extends DeliveryRecord {
  _id: string;
}

const DELIVERY_FIELDS = {
  _id: 0,
  tenantId: 1,
  topic: 1,
  subscription: 1,
  msgId: 1,
  attempt: 1,
  status: 1,
  consumerId: 1,
  reason: 1,
  ts: 1,
} as const;

/** Access to one tenant's delivery records. */
export class DeliveryStore extends TenantStore<DeliveryDoc> {
  /** Up to `limit` deliveries of message `msgId` of `topic` (of one subscription, when given), by subscription and attempt. */
  async ofMessage(topic: string, msgId: string, subscription: string | undefined, limit: number): Promise<DeliveryRecord[]> {
    return this.coll
      .find<DeliveryRecord>(
        { tenantId: this.tenantId, topic, msgId, ...(subscription === undefined ? {} : { subscription }) },
        { projection: DELIVERY_FIELDS, sort: { subscription: 1, attempt: 1 }, limit },
      )
      .toArray();
  }
}
