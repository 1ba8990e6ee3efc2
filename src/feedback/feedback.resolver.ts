import { Args, ArgsType, Field, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import {
  FeedbackArgs,
  ModelFeedbackStatsArgs,
  OutcomesArgs,
  RecordOutcomeInput,
  SubmitFeedbackInput,
} from './dto/feedback.inputs';
import { FeedbackStatsService } from './feedback-stats.service';
import {
  FeedbackModel,
  FeedbackPageModel,
  ModelFeedbackStatsModel,
  OutcomeModel,
  OutcomePageModel,
  ReopenLeadResultModel,
} from './models/feedback.models';
import { OutcomesService, toOutcomeModel } from './outcomes.service';
import { RepFeedbackService, toFeedbackModel } from './rep-feedback.service';

@ArgsType()
class ReopenLeadArgs {
  @Field(() => String, { description: 'Your id for the lead.' })
  @IsString()
  @Length(1, 200)
  leadId!: string;
}

@Resolver()
export class FeedbackResolver {
  constructor(
    private readonly outcomeService: OutcomesService,
    private readonly feedbackService: RepFeedbackService,
    private readonly stats: FeedbackStatsService,
  ) {}

  @Mutation(() => OutcomeModel, {
    description:
      "Closes a lead as converted or lost (managers, admins, the lead's own rep), with the score it showed. A second outcome replaces the first; both stay in its history.",
  })
  async recordOutcome(
    @CurrentUser() user: AuthUser,
    @Args('input') input: RecordOutcomeInput,
  ): Promise<OutcomeModel> {
    return toOutcomeModel(await this.outcomeService.record(user, input));
  }

  @Mutation(() => ReopenLeadResultModel, {
    description: "Clears a lead's outcome (kept in its history) and restores its status.",
  })
  async reopenLead(
    @CurrentUser() user: AuthUser,
    @Args() args: ReopenLeadArgs,
  ): Promise<ReopenLeadResultModel> {
    const { lead, cleared } = await this.outcomeService.reopen(user, args.leadId);
    return { leadId: lead.leadId, status: lead.status, cleared: toOutcomeModel(cleared) };
  }

  @Mutation(() => FeedbackModel, {
    description:
      "Rates a lead's current score (reps: their own leads). One current rating per user and lead; earlier ones kept.",
  })
  async submitFeedback(
    @CurrentUser() user: AuthUser,
    @Args('input') input: SubmitFeedbackInput,
  ): Promise<FeedbackModel> {
    return toFeedbackModel(await this.feedbackService.submit(user, input));
  }

  @Query(() => OutcomePageModel, {
    description: 'Outcomes, newest recorded first (reps: of their own leads).',
  })
  outcomes(@CurrentUser() user: AuthUser, @Args() args: OutcomesArgs): Promise<OutcomePageModel> {
    return this.outcomeService.list(user, args);
  }

  @Query(() => FeedbackPageModel, {
    description: 'Current ratings, newest first (reps: of their own leads).',
  })
  feedback(@CurrentUser() user: AuthUser, @Args() args: FeedbackArgs): Promise<FeedbackPageModel> {
    return this.feedbackService.list(user, args);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => ModelFeedbackStatsModel, {
    description:
      'Counts per rating and conversion per tier and score decile of the scores a model showed when outcomes were recorded.',
  })
  modelFeedbackStats(
    @CurrentUser() user: AuthUser,
    @Args() args: ModelFeedbackStatsArgs,
  ): Promise<ModelFeedbackStatsModel> {
    return this.stats.forModel(user.tenantId, args);
  }
}
