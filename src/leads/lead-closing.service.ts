import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { closeState, LeadClose, toSnapshot } from './leads.service';
import { LeadsException } from './leads.exception';
import { CLOSED_STATUSES, Lead, LeadOutcomeState } from './schemas/lead.schema';

/** A lead with an outcome, as a dataset snapshot reads it. */
export interface ClosedLead {
  readonly _id: Types.ObjectId;
  readonly leadId: string;
  readonly ownerId: string | null;
  readonly attributes: Record<string, unknown>;
  readonly outcome: LeadOutcomeState;
}

/** Rounds of read and conditional write before a lead that keeps moving is reported busy. */
const MAX_ATTEMPTS = 5;

/** The status a reopened lead gets when the one before its close was itself a closed status. */
export const REOPENED_STATUS = 'OPEN';

/**
 * Closing a lead with an outcome and reopening it: the lead-side half of the feedback module's
 * outcomes. Each is one write of the lead (its version moves) followed by its rescoring.
 */
@Injectable()
export class LeadClosingService extends TenantRepository<Lead> {
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
    private readonly scoring: LeadScoringService,
  ) {
    super(model);
  }

  /** How many leads of the tenant have an outcome now. */
  countClosed(tenantId: string): Promise<number> {
    return this.count(tenantId, { outcome: { $ne: null } });
  }

  /**
   * The tenant's leads with an outcome, in batches, through one driver cursor (no Mongoose
   * hydration: a snapshot reads tens of thousands of leads).
   */
  async *closedLeads(tenantId: string, batchSize = 2_000): AsyncGenerator<ClosedLead[]> {
    const cursor = this.model.collection.find(
      { tenantId: toObjectId(tenantId), outcome: { $ne: null } },
      { projection: { leadId: 1, ownerId: 1, attributes: 1, outcome: 1 }, batchSize },
    );
    let batch: ClosedLead[] = [];
    for await (const doc of cursor) {
      batch.push(doc as unknown as ClosedLead);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** The lead as a close or reopen needs it (attributes left out), or null. */
  findForClose(tenantId: string, ref: Types.ObjectId): Promise<Lead | null> {
    return this.model
      .findOne(this.scope(tenantId, { _id: ref }), { attributes: 0, appliedEvents: 0 })
      .lean<Lead>()
      .exec();
  }

  /**
   * Sets the lead's outcome (status and pointer) and rescores it; null if there is no such lead.
   * Written conditionally on the version read, like engagement, so a close never overwrites an
   * event or edit that landed in between with an older copy's engagement.
   */
  async close(tenantId: string, ref: Types.ObjectId, close: LeadClose): Promise<Lead | null> {
    return this.writeConditionally(tenantId, ref, ScoreChangeReason.OUTCOME_RECORDED, (lead) => ({
      status: close.outcome,
      outcome: closeState(close, lead),
    }));
  }

  /**
   * Clears the lead's outcome if it is still `outcomeId` (a concurrent close wins), restoring the
   * status it had before; null when the lead is gone or holds another outcome now.
   */
  async reopen(
    tenantId: string,
    ref: Types.ObjectId,
    outcomeId: Types.ObjectId,
  ): Promise<Lead | null> {
    return this.writeConditionally(tenantId, ref, ScoreChangeReason.LEAD_REOPENED, (lead) => {
      if (!lead.outcome || !lead.outcome.id.equals(outcomeId)) return null;
      const before = lead.outcome.statusBefore;
      return { status: CLOSED_STATUSES.has(before) ? REOPENED_STATUS : before, outcome: null };
    });
  }

  private async writeConditionally(
    tenantId: string,
    ref: Types.ObjectId,
    reason: ScoreChangeReason,
    change: (lead: Lead) => Partial<Pick<Lead, 'status' | 'outcome'>> | null,
  ): Promise<Lead | null> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const lead = await this.findForClose(tenantId, ref);
      if (!lead) return null;
      const set = change(lead);
      if (!set) return null;
      const written = await this.updateOne(
        tenantId,
        // `{tenantId, _id, version}`: the filter the tenant version index serves on every engine.
        { _id: ref, version: lead.version },
        { $set: { ...set, updatedAt: new Date() }, $inc: { version: 1 } },
      );
      if (written) {
        await this.scoring.scoreSnapshots(tenantId, [toSnapshot(written)], reason);
        return written;
      }
    }
    throw LeadsException.busy();
  }
}
