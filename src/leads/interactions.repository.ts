import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { Interaction, InteractionReceipt } from './schemas/interaction.schema';

const DUPLICATE_KEY = 11000;

export type NewInteraction = Omit<Interaction, 'tenantId' | 'receivedAt'>;

export function interactionIdFor(tenantId: string, idempotencyKey: string): Types.ObjectId {
  return derivedObjectId('interaction', tenantId, idempotencyKey);
}

/** The interaction log and its receipts. Events are inserted once per idempotency key. */
@Injectable()
export class InteractionsRepository extends TenantRepository<Interaction> {
  constructor(
    @InjectModel(Interaction.name) model: Model<Interaction>,
    @InjectModel(InteractionReceipt.name) private readonly receipts: Model<InteractionReceipt>,
  ) {
    super(model);
  }

  /**
   * Inserts the events whose key the tenant has not stored yet and returns those. A key already
   * stored (a retry, or a concurrent delivery of the same event) is refused by the unique `_id`
   * and left out: its first delivery counts, this one never does. `receivedAt`: inside the
   * window the caller opened (InteractionWindows), whose marker is stored.
   */
  async insertNew(
    tenantId: string,
    events: readonly NewInteraction[],
    receivedAt: Date,
  ): Promise<NewInteraction[]> {
    if (events.length === 0) return [];
    const tenant = new Types.ObjectId(tenantId);
    try {
      // Through the driver: the events are built by LeadEngagementService in stored form.
      // Field by field: a spread of each event was 6 % of an ingestion call's CPU.
      const docs = events.map((event): Interaction => ({
        _id: event._id,
        leadRef: event.leadRef,
        type: event.type,
        occurredAt: event.occurredAt,
        idempotencyKey: event.idempotencyKey,
        emailOpen: event.emailOpen,
        visit: event.visit,
        secondsSpent: event.secondsSpent,
        metadata: event.metadata,
        tenantId: tenant,
        receivedAt,
      }));
      await this.model.collection.insertMany(docs, { ordered: false });
      return [...events];
    } catch (error) {
      const refused = duplicateIndexes(error);
      return events.filter((_, i) => !refused.has(i));
    }
  }

  /** Records that these events' deltas are in their leads (a receipt already there is kept). */
  async markApplied(tenantId: string, ids: readonly Types.ObjectId[], by: string): Promise<void> {
    if (ids.length === 0) return;
    const tenant = new Types.ObjectId(tenantId);
    try {
      const appliedAt = new Date();
      await this.receipts.collection.insertMany(
        ids.map((_id) => ({ _id, tenantId: tenant, appliedBy: by, appliedAt })),
        { ordered: false },
      );
    } catch (error) {
      duplicateIndexes(error);
    }
  }

  /** Of these event ids, the ones with no receipt: their delta may not be in their lead. */
  async unapplied(ids: readonly Types.ObjectId[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const receipts = await this.receipts
      .find({ _id: { $in: ids } }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }[]>()
      .exec();
    const done = new Set(receipts.map((receipt) => receipt._id.toHexString()));
    return new Set(ids.map((id) => id.toHexString()).filter((id) => !done.has(id)));
  }

  findEvents(tenantId: string, ids: readonly Types.ObjectId[]): Promise<Interaction[]> {
    return this.findByIds(tenantId, ids);
  }

  /**
   * Events received in [from, to), all tenants, in (receivedAt, _id) order, after the event
   * `after` when given: a page boundary that never skips events sharing a millisecond (a batch of
   * 1,000 shares one). The sweeper's query, unscoped by design: it serves every tenant. Only for
   * the windows a writer abandoned: on mongo-java-server each page scans the whole log.
   */
  receivedBetween(
    from: Date,
    to: Date,
    limit: number,
    after?: Pick<Interaction, '_id' | 'receivedAt'>,
  ): Promise<Interaction[]> {
    const window = { receivedAt: { $gte: from, $lt: to } };
    const filter = after
      ? {
          $and: [
            window,
            {
              $or: [
                { receivedAt: { $gt: after.receivedAt } },
                { receivedAt: after.receivedAt, _id: { $gt: after._id } },
              ],
            },
          ],
        }
      : window;
    return this.model
      .find(filter)
      .sort({ receivedAt: 1, _id: 1 })
      .limit(limit)
      .lean<Interaction[]>()
      .exec();
  }
}

/**
 * Positions of the operations an unordered bulk insert refused as duplicates; rethrows any other
 * error, and one that lists no write error at all: the driver reports a connection lost
 * mid-insert as a bulk error with an empty list, and taking that for "all inserted" acknowledged
 * events that were never stored.
 */
export function duplicateIndexes(error: unknown): Set<number> {
  const writeErrors = (
    error as {
      writeErrors?: { index?: number; code?: number; err?: { index?: number; code?: number } }[];
    }
  ).writeErrors;
  if (
    !writeErrors ||
    writeErrors.length === 0 ||
    writeErrors.some((e) => (e.code ?? e.err?.code) !== DUPLICATE_KEY)
  )
    throw error;
  return new Set(writeErrors.map((e) => e.index ?? e.err?.index ?? -1));
}
