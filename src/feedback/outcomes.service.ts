import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { pageInfo } from '@/common/graphql/page.args';
import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { decodedFind } from '@/common/tenancy/decoded-find.util';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import { LeadClosingService } from '@/leads/lead-closing.service';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import type { Lead, LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { LeadScoreQueries } from '@/scoring/lead-score-queries.service';

import { OutcomesArgs, RecordOutcomeInput } from './dto/feedback.inputs';
import { FeedbackException } from './feedback.exception';
import type { OutcomeModel, OutcomePageModel } from './models/feedback.models';
import { FollowedLead, OutcomePointersService } from './outcome-pointers.service';
import { inBatches } from './batches.util';
import { reachableLead, shownScore, toShown } from './reachable-lead.util';
import { OutcomeRecord, OutcomeSource, ShownScore } from './schemas/outcome.schema';

/** How far ahead of this server's clock an outcome may be dated (clients' clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;
const DUPLICATE_KEY = 11000;

/** An outcome of a CSV import row, recorded before the import writes (and closes) its lead. */
export interface ImportedOutcome {
  readonly id: Types.ObjectId;
  readonly row: number;
  readonly leadRef: Types.ObjectId;
  readonly leadId: string;
  readonly ownerId: string | null;
  readonly outcome: LeadOutcomeValue;
  readonly at: Date;
}

/** A current outcome as the outcome report reads it (no more of it). */
export interface ReportedRecord {
  readonly outcome: LeadOutcomeValue;
  /** Absent or null: recorded before the lead had a score. */
  readonly shown?: Pick<ShownScore, 'score' | 'tier' | 'modelId' | 'modelVersion'> | null;
}

/** The `_id` of an imported row's outcome: a retried chunk writes the same records again. */
export function importedOutcomeId(tenantId: string, importId: string, row: number): Types.ObjectId {
  return derivedObjectId('outcome-import', tenantId, importId, String(row));
}

/**
 * Outcomes of leads (converted or lost): recorded through the API or a CSV import, replaced by a
 * later one, cleared by a reopen. The lead's pointer is written first and is the truth; the
 * records' `current` flags follow it.
 */
@Injectable()
export class OutcomesService extends TenantRepository<OutcomeRecord> {
  constructor(
    @InjectModel(OutcomeRecord.name) model: Model<OutcomeRecord>,
    private readonly leads: LeadClosingService,
    private readonly scores: LeadScoreQueries,
    private readonly pointers: OutcomePointersService,
  ) {
    super(model);
  }

  async record(user: AuthUser, input: RecordOutcomeInput): Promise<OutcomeRecord> {
    const { tenantId } = user;
    const lead = await reachableLead(this.leads, user, input.leadId);
    const now = new Date();
    const at = input.at ?? now;
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
      throw FeedbackException.invalid([{ path: 'input.at', messages: ['is in the future'] }]);
    if (at.getTime() < lead.createdAt.getTime())
      throw FeedbackException.invalid([
        {
          path: 'input.at',
          messages: [`is before the lead existed (created ${lead.createdAt.toISOString()})`],
        },
      ]);

    const key = input.idempotencyKey ?? null;
    const id = key ? derivedObjectId('outcome', tenantId, key) : new Types.ObjectId();
    if (key) {
      const earlier = await this.findById(tenantId, id.toHexString());
      if (earlier) return this.finishEarlier(user, earlier, lead, input);
    }
    const record: OutcomeRecord = {
      _id: id,
      tenantId: toObjectId(tenantId),
      leadRef: lead._id,
      leadId: lead.leadId,
      ownerId: lead.ownerId,
      outcome: input.outcome,
      at,
      reason: input.reason ?? null,
      source: OutcomeSource.API,
      recordedBy: user.userId,
      recordedAt: now,
      importRow: null,
      idempotencyKey: key,
      shown: await shownScore(this.scores, tenantId, lead),
      // Not current until the lead points at it: a call that dies in between leaves history only.
      current: false,
      replacedAt: null,
      reopenedAt: null,
      reopenedBy: null,
    };
    try {
      await this.model.collection.insertOne(record);
    } catch (error) {
      // The same key sent twice at once: the first insert wins, the second follows it.
      if ((error as { code?: number }).code !== DUPLICATE_KEY || !key) throw error;
      const earlier = await this.findById(tenantId, id.toHexString());
      if (!earlier) throw error;
      return this.finishEarlier(user, earlier, lead, input);
    }
    return this.closeWith(tenantId, record, lead);
  }

  /** A key seen before: the same outcome answers as recorded (finishing a call that died). */
  private async finishEarlier(
    user: AuthUser,
    earlier: OutcomeRecord,
    lead: Lead,
    input: RecordOutcomeInput,
  ): Promise<OutcomeRecord> {
    if (!earlier.leadRef.equals(lead._id) || earlier.outcome !== input.outcome)
      throw FeedbackException.keyReused(earlier.idempotencyKey ?? '');
    const settled = earlier.current || earlier.replacedAt !== null || earlier.reopenedAt !== null;
    if (settled || lead.outcome?.id.equals(earlier._id)) {
      if (!settled) await this.pointers.follow(user.tenantId, [{ ref: lead._id }]);
      return (await this.findById(user.tenantId, earlier._id.toHexString())) ?? earlier;
    }
    return this.closeWith(user.tenantId, earlier, lead);
  }

  /**
   * Points the lead at the record, only if it still points where it did when the call read it
   * (`lead`): of concurrent calls on one lead, those that read the same pointer write one after
   * the other, and the later ones are told the lead changed (CONFLICT) rather than silently
   * replacing an outcome they never saw. Then the records follow the pointer.
   */
  private async closeWith(
    tenantId: string,
    record: OutcomeRecord,
    lead: Lead,
  ): Promise<OutcomeRecord> {
    const result = await this.leads.close(
      tenantId,
      record.leadRef,
      { id: record._id, outcome: record.outcome, at: record.at },
      { ifOutcome: lead.outcome?.id ?? null },
    );
    if (!result) throw FeedbackException.leadNotFound(record.leadId);
    // The record stays as history of a call that did not close the lead, as when a call dies.
    if (!result.closed) throw FeedbackException.changedMeanwhile(record.leadId);
    await this.pointers.follow(tenantId, [{ ref: record.leadRef }]);
    return (await this.findById(tenantId, record._id.toHexString())) ?? record;
  }

  /** Makes the leads' outcome records follow their pointers (after writes that moved them). */
  followPointers(tenantId: string, leads: readonly FollowedLead[]): Promise<void> {
    return this.pointers.follow(tenantId, leads);
  }

  async reopen(user: AuthUser, leadId: string): Promise<{ lead: Lead; cleared: OutcomeRecord }> {
    const { tenantId } = user;
    const lead = await reachableLead(this.leads, user, leadId);
    if (!lead.outcome) {
      // A reopen that died between clearing the pointer and its record, retried: the records
      // still follow the pointer.
      await this.pointers.follow(tenantId, [{ ref: lead._id }]);
      throw FeedbackException.noOutcome(leadId);
    }
    const outcomeId = lead.outcome.id;
    const reopened = await this.leads.reopen(tenantId, lead._id, outcomeId);
    if (!reopened) throw FeedbackException.changedMeanwhile(leadId);
    const cleared = await this.updateById(tenantId, outcomeId.toHexString(), {
      $set: { current: false, reopenedAt: new Date(), reopenedBy: user.userId },
    });
    await this.pointers.follow(tenantId, [{ ref: lead._id }]);
    // A record lost to a crash between its insert and the lead's write cannot be cleared: the
    // lead is reopened all the same, and says which outcome it was.
    return {
      lead: reopened,
      cleared: cleared ?? this.placeholder(tenantId, lead),
    };
  }

  private placeholder(tenantId: string, lead: Lead): OutcomeRecord {
    const state = lead.outcome!;
    return {
      _id: state.id,
      tenantId: toObjectId(tenantId),
      leadRef: lead._id,
      leadId: lead.leadId,
      ownerId: lead.ownerId,
      outcome: state.outcome,
      at: state.at,
      reason: null,
      source: OutcomeSource.API,
      recordedBy: 'unknown',
      recordedAt: state.at,
      importRow: null,
      idempotencyKey: null,
      shown: null,
      current: false,
      replacedAt: null,
      reopenedAt: new Date(),
      reopenedBy: null,
    };
  }

  /**
   * The records of a chunk of imported outcomes, written before the import points their leads at
   * them (not current until then: `followPointers` after the leads' write), with the scores the
   * leads show before the import rescores them. Each is written once, by its derived `_id`: a
   * retried chunk finds the records of its first attempt as they were (with the scores shown
   * before that attempt), and writes those missing.
   */
  async recordImported({
    tenantId,
    importId,
    importedBy,
    outcomes,
  }: {
    tenantId: string;
    importId: string;
    importedBy: string;
    outcomes: readonly ImportedOutcome[];
  }): Promise<void> {
    if (outcomes.length === 0) return;
    const shown = new Map(
      (
        await this.scores.findByIds(
          tenantId,
          outcomes.map((o) => o.leadRef),
        )
      ).map((score) => [score._id.toHexString(), toShown(score)]),
    );
    const now = new Date();
    await this.bulkWriteStored(
      tenantId,
      outcomes.map((item) => {
        const record: Omit<OutcomeRecord, '_id' | 'tenantId'> = {
          leadRef: item.leadRef,
          leadId: item.leadId,
          ownerId: item.ownerId,
          outcome: item.outcome,
          at: item.at,
          reason: null,
          source: OutcomeSource.IMPORT,
          recordedBy: importedBy,
          recordedAt: now,
          importRow: { importId, row: item.row },
          idempotencyKey: null,
          shown: shown.get(item.leadRef.toHexString()) ?? null,
          current: false,
          replacedAt: null,
          reopenedAt: null,
          reopenedBy: null,
        };
        return {
          updateOne: { filter: { _id: item.id }, update: { $setOnInsert: record }, upsert: true },
        };
      }),
    );
  }

  async list(user: AuthUser, args: OutcomesArgs): Promise<OutcomePageModel> {
    const filter: QueryFilter<OutcomeRecord> = {};
    const f = args.filter;
    if (!f?.includeHistory) filter.current = true;
    if (f?.leadId) filter.leadRef = leadRefFor(user.tenantId, f.leadId);
    if (f?.outcome) filter.outcome = f.outcome;
    if (f?.from || f?.to)
      filter.at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
    if (user.role === Role.REP) filter.ownerId = user.userId;
    const { items, total } = await this.page(user.tenantId, filter, {
      sort: { recordedAt: -1, _id: -1 },
      page: args.page,
      limit: args.limit,
    });
    return { items: items.map(toOutcomeModel), ...pageInfo(args, total) };
  }

  /**
   * The tenant's current outcomes with the score shown, for the outcome report: in batches through
   * one driver cursor on the `{tenantId, current}` index, only the fields the report reads, so a
   * tenant's millions of outcomes are never held at once.
   */
  async *currentWithShown(tenantId: string, batchSize = 1_000): AsyncGenerator<ReportedRecord[]> {
    const cursor = decodedFind<ReportedRecord>(
      this.model.collection,
      { tenantId: toObjectId(tenantId), current: true },
      {
        projection: {
          _id: 0,
          outcome: 1,
          'shown.score': 1,
          'shown.tier': 1,
          'shown.modelId': 1,
          'shown.modelVersion': 1,
        },
        batchSize,
      },
    );
    yield* inBatches(cursor, batchSize);
  }
}

export function toOutcomeModel(record: OutcomeRecord): OutcomeModel {
  return {
    id: record._id.toHexString(),
    leadId: record.leadId,
    ownerId: record.ownerId,
    outcome: record.outcome,
    at: record.at,
    reason: record.reason,
    source: record.source,
    recordedBy: record.recordedBy,
    recordedAt: record.recordedAt,
    importRow: record.importRow,
    shown: record.shown,
    current: record.current,
    replacedAt: record.replacedAt,
    reopenedAt: record.reopenedAt,
    reopenedBy: record.reopenedBy,
  };
}
