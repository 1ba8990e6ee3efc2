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
import { LeadScoreQueries } from '@/scoring/lead-score-queries.service';

import { FeedbackArgs, SubmitFeedbackInput } from './dto/feedback.inputs';
import type { FeedbackModel, FeedbackPageModel } from './models/feedback.models';
import { inBatches } from './batches.util';
import { reachableLead, shownScore } from './reachable-lead.util';
import type { ShownScore } from './schemas/outcome.schema';
import {
  FEEDBACK_HISTORY_KEPT,
  FeedbackRating,
  PastRating,
  RepFeedback,
} from './schemas/rep-feedback.schema';

/** A current rating as the stats read it. */
export interface RatedScore {
  readonly rating: FeedbackRating;
  /** Absent or null: rated before the lead had a score. */
  readonly shown?: Pick<ShownScore, 'modelId' | 'modelVersion'> | null;
}

/** One feedback document per user and lead: found and replaced by `_id`. */
export function feedbackIdFor(
  tenantId: string,
  userId: string,
  leadRef: Types.ObjectId,
): Types.ObjectId {
  return derivedObjectId('feedback', tenantId, userId, leadRef.toHexString());
}

/** Reps' (and managers') ratings of the scores they were shown: too high, too low, about right. */
@Injectable()
export class RepFeedbackService extends TenantRepository<RepFeedback> {
  constructor(
    @InjectModel(RepFeedback.name) model: Model<RepFeedback>,
    private readonly leads: LeadClosingService,
    private readonly scores: LeadScoreQueries,
  ) {
    super(model);
  }

  /** The caller's rating of the lead's current score; an earlier one moves to its history. */
  async submit(user: AuthUser, input: SubmitFeedbackInput): Promise<RepFeedback> {
    const { tenantId } = user;
    const lead = await reachableLead(this.leads, user, input.leadId);
    const id = feedbackIdFor(tenantId, user.userId, lead._id);
    const [earlier, shown] = await Promise.all([
      this.findById(tenantId, id.toHexString()),
      shownScore(this.scores, tenantId, lead),
    ]);
    const past: PastRating[] = earlier
      ? [
          {
            rating: earlier.rating,
            comment: earlier.comment,
            shown: earlier.shown,
            submittedAt: earlier.submittedAt,
          },
        ]
      : [];
    const current = {
      leadRef: lead._id,
      leadId: lead.leadId,
      ownerId: lead.ownerId,
      userId: user.userId,
      rating: input.rating,
      comment: input.comment ?? null,
      shown,
      submittedAt: new Date(),
    };
    await this.bulkWriteStored(tenantId, [
      {
        updateOne: {
          filter: { _id: id },
          update: {
            $set: current,
            $push: { history: { $each: past, $slice: -FEEDBACK_HISTORY_KEPT } },
          },
          upsert: true,
        },
      },
    ]);
    return (await this.findById(tenantId, id.toHexString()))!;
  }

  async list(user: AuthUser, args: FeedbackArgs): Promise<FeedbackPageModel> {
    const filter: QueryFilter<RepFeedback> = {};
    const f = args.filter;
    if (f?.leadId) filter.leadRef = leadRefFor(user.tenantId, f.leadId);
    if (f?.userId) filter.userId = f.userId;
    if (f?.rating) filter.rating = f.rating;
    if (f?.modelId) filter['shown.modelId'] = f.modelId;
    if (f?.modelVersion) filter['shown.modelVersion'] = f.modelVersion;
    if (user.role === Role.REP) filter.ownerId = user.userId;
    const { items, total } = await this.page(user.tenantId, filter, {
      sort: { submittedAt: -1, _id: -1 },
      page: args.page,
      limit: args.limit,
    });
    return { items: items.map(toFeedbackModel), ...pageInfo(args, total) };
  }

  /**
   * Current ratings with the model that was shown, for the stats: in batches through one driver
   * cursor, only the fields the stats read.
   */
  async *ratingsWithShown(tenantId: string, batchSize = 1_000): AsyncGenerator<RatedScore[]> {
    const cursor = decodedFind<RatedScore>(
      this.model.collection,
      { tenantId: toObjectId(tenantId) },
      { projection: { _id: 0, rating: 1, 'shown.modelId': 1, 'shown.modelVersion': 1 }, batchSize },
    );
    yield* inBatches(cursor, batchSize);
  }
}

export function toFeedbackModel(doc: RepFeedback): FeedbackModel {
  return {
    id: doc._id.toHexString(),
    leadId: doc.leadId,
    userId: doc.userId,
    rating: doc.rating,
    comment: doc.comment,
    shown: doc.shown,
    submittedAt: doc.submittedAt,
    history: doc.history ?? [],
  };
}
