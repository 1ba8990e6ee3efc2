import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { Interaction, InteractionClaim } from './schemas/interaction.schema';

const DUPLICATE_KEY = 11000;

export type NewInteraction = Omit<Interaction, 'tenantId' | 'receivedAt'>;

export function interactionIdFor(tenantId: string, idempotencyKey: string): Types.ObjectId {
  return derivedObjectId('interaction', tenantId, idempotencyKey);
}

/** The interaction log and its claims. Events are inserted once per idempotency key, claimed once. */
@Injectable()
export class InteractionsRepository extends TenantRepository<Interaction> {
  constructor(
    @InjectModel(Interaction.name) model: Model<Interaction>,
    @InjectModel(InteractionClaim.name) private readonly claims: Model<InteractionClaim>,
  ) {
    super(model);
  }

  /**
   * Inserts the events whose key the tenant has not stored yet and returns those. A key already
   * stored (a retry, or a concurrent delivery of the same event) is refused by the unique `_id`
   * and left out: its first delivery counts, this one never does.
   */
  async insertNew(tenantId: string, events: readonly NewInteraction[]): Promise<NewInteraction[]> {
    if (events.length === 0) return [];
    const tenant = new Types.ObjectId(tenantId);
    try {
      // Through the driver: the events are built by LeadsService in stored form.
      const receivedAt = new Date();
      await this.model.collection.insertMany(
        events.map((event) => ({ ...event, tenantId: tenant, receivedAt })),
        { ordered: false },
      );
      return [...events];
    } catch (error) {
      const writeErrors = (
        error as {
          writeErrors?: {
            index?: number;
            code?: number;
            err?: { index?: number; code?: number };
          }[];
        }
      ).writeErrors;
      if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== DUPLICATE_KEY))
        throw error;
      const refused = new Set(writeErrors.map((e) => e.index ?? e.err?.index));
      return events.filter((_, i) => !refused.has(i));
    }
  }

  /**
   * Claims events on behalf of one writer and returns the ids it won: inserting a claim is the
   * claim, and the claim's unique `_id` (the event's) lets one writer win each event, so a delta is
   * added at most once even when a writer and the sweeper reach the same event.
   */
  async claim(
    tenantId: string,
    ids: readonly Types.ObjectId[],
    by: string,
  ): Promise<Types.ObjectId[]> {
    if (ids.length === 0) return [];
    const tenant = new Types.ObjectId(tenantId);
    try {
      const claimedAt = new Date();
      await this.claims.collection.insertMany(
        ids.map((_id) => ({ _id, tenantId: tenant, claimedBy: by, claimedAt })),
        { ordered: false },
      );
      return [...ids];
    } catch (error) {
      const lost = duplicateIndexes(error);
      return ids.filter((_, i) => !lost.has(i));
    }
  }

  /** Of these event ids, the ones nobody has claimed. */
  async unclaimed(ids: readonly Types.ObjectId[]): Promise<Set<string>> {
    const claimed = await this.claims
      .find({ _id: { $in: ids } }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }[]>()
      .exec();
    const taken = new Set(claimed.map((claim) => claim._id.toHexString()));
    return new Set(ids.map((id) => id.toHexString()).filter((id) => !taken.has(id)));
  }

  findEvents(tenantId: string, ids: readonly Types.ObjectId[]): Promise<Interaction[]> {
    return this.findByIds(tenantId, ids);
  }

  /**
   * Events received in [from, to), all tenants, oldest first (the sweeper's query, unscoped by
   * design: it works for every tenant and claims per tenant).
   */
  receivedBetween(from: Date, to: Date, limit: number): Promise<Interaction[]> {
    return this.model
      .find({ receivedAt: { $gte: from, $lt: to } })
      .sort({ receivedAt: 1 })
      .limit(limit)
      .lean<Interaction[]>()
      .exec();
  }
}

/** Positions of the operations a bulk insert refused as duplicates; rethrows any other error. */
function duplicateIndexes(error: unknown): Set<number> {
  const writeErrors = (
    error as {
      writeErrors?: { index?: number; code?: number; err?: { index?: number; code?: number } }[];
    }
  ).writeErrors;
  if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== DUPLICATE_KEY))
    throw error;
  return new Set(writeErrors.map((e) => e.index ?? e.err?.index ?? -1));
}
