import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { decodedFind } from '@/common/tenancy/decoded-find.util';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { toSnapshot } from './lead-snapshot.util';
import { LeadsException } from './leads.exception';
import { closeState, LeadClose } from './leads.service';
import { CLOSED_STATUSES, Lead, LeadOutcomeState } from './schemas/lead.schema';

/** A lead with an outcome, as a dataset snapshot reads it. */
export interface ClosedLead {
  readonly _id: Types.ObjectId;
  readonly leadId: string;
  readonly ownerId: string | null;
  readonly attributes: Record<string, unknown>;
  readonly outcome: LeadOutcomeState;
}

/** A lead without an outcome, as drift reads its raw features (engagement and attributes now). */
export interface OpenLead {
  readonly leadId: string;
  readonly attributes: Record<string, unknown> | null;
  readonly emailOpens: number;
  readonly websiteVisits: number;
  readonly timeSpentSeconds: number;
  readonly lastActivityAt: Date | null;
}

/** Which outcome record a lead points at (the truth the records' `current` flags follow). */
export interface LeadOutcomePointer {
  readonly outcomeId: Types.ObjectId | null;
  readonly version: number;
}

/** Rounds of read and conditional write before a lead that keeps moving is reported busy. */
const MAX_ATTEMPTS = 5;

/** What a change answers when the lead is as asked already, or when the write is refused. */
const DONE = Symbol('done');
const REFUSED = Symbol('refused');

function sameOutcome(a: Types.ObjectId | null, b: Types.ObjectId | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

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
    const cursor = decodedFind<Record<string, unknown>>(
      this.model.collection,
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

  /**
   * The tenant's leads without an outcome (open), in batches, through one driver cursor: what
   * drift compares with a model's training rows.
   */
  async *openLeads(tenantId: string, batchSize = 2_000): AsyncGenerator<OpenLead[]> {
    const cursor = decodedFind<Record<string, unknown>>(
      this.model.collection,
      // `null` matches a lead stored before the field existed too.
      { tenantId: toObjectId(tenantId), outcome: null },
      {
        projection: {
          leadId: 1,
          attributes: 1,
          emailOpens: 1,
          websiteVisits: 1,
          timeSpentSeconds: 1,
          lastActivityAt: 1,
        },
        batchSize,
      },
    );
    let batch: OpenLead[] = [];
    for await (const doc of cursor) {
      batch.push(doc as unknown as OpenLead);
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
   * The outcome each lead points at now (null: none) and its version, by `_id`; leads that do not
   * exist are left out. What outcome records are reconciled from, read after the writes.
   */
  async outcomePointers(
    tenantId: string,
    refs: readonly Types.ObjectId[],
  ): Promise<Map<string, LeadOutcomePointer>> {
    const leads = await this.findByIds(tenantId, refs, { outcome: 1, version: 1 });
    return new Map(
      leads.map((lead) => [
        lead._id.toHexString(),
        { outcomeId: lead.outcome?.id ?? null, version: lead.version },
      ]),
    );
  }

  /**
   * Sets the lead's outcome (status and pointer) and rescores it. Written conditionally on the
   * version read, like engagement, so a close never overwrites an event or edit that landed in
   * between with an older copy's engagement. With `ifOutcome`, only a lead still pointing at that
   * outcome (null: none) is closed: a close decided on what the caller read never silently
   * replaces one that landed since (`closed: false`). A lead that already points at this outcome
   * (a retry) is left as it is, `closed: true`. Null when there is no such lead.
   */
  async close(
    tenantId: string,
    ref: Types.ObjectId,
    close: LeadClose,
    { ifOutcome }: { ifOutcome?: Types.ObjectId | null } = {},
  ): Promise<{ closed: boolean; lead: Lead } | null> {
    const result = await this.writeConditionally(
      tenantId,
      ref,
      ScoreChangeReason.OUTCOME_RECORDED,
      (lead) => {
        const current = lead.outcome?.id ?? null;
        if (current?.equals(close.id)) return DONE;
        if (ifOutcome !== undefined && !sameOutcome(current, ifOutcome)) return REFUSED;
        return { status: close.outcome, outcome: closeState(close, lead) };
      },
    );
    return result && { closed: result.done, lead: result.lead };
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
    const result = await this.writeConditionally(
      tenantId,
      ref,
      ScoreChangeReason.LEAD_REOPENED,
      (lead) => {
        if (!lead.outcome || !lead.outcome.id.equals(outcomeId)) return REFUSED;
        const before = lead.outcome.statusBefore;
        return { status: CLOSED_STATUSES.has(before) ? REOPENED_STATUS : before, outcome: null };
      },
    );
    return result?.done ? result.lead : null;
  }

  /**
   * Reads the lead, asks `change` what to write, and writes it conditionally on the version read,
   * again from a fresh read when another write landed in between. `done: false` when `change`
   * refused; null when there is no such lead.
   */
  private async writeConditionally(
    tenantId: string,
    ref: Types.ObjectId,
    reason: ScoreChangeReason,
    change: (
      lead: Lead,
    ) => Partial<Pick<Lead, 'status' | 'outcome'>> | typeof DONE | typeof REFUSED,
  ): Promise<{ done: boolean; lead: Lead } | null> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const lead = await this.findForClose(tenantId, ref);
      if (!lead) return null;
      const set = change(lead);
      if (set === DONE || set === REFUSED) return { done: set === DONE, lead };
      const written = await this.updateOne(
        tenantId,
        // `{tenantId, _id, version}`: the filter the tenant version index serves on every engine.
        { _id: ref, version: lead.version },
        { $set: { ...set, updatedAt: new Date() }, $inc: { version: 1 } },
      );
      if (written) {
        await this.scoring.scoreSnapshots(tenantId, [toSnapshot(written)], reason);
        return { done: true, lead: written };
      }
    }
    throw LeadsException.busy();
  }
}
