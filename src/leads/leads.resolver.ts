import {
  Args,
  ArgsType,
  Context,
  Field,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { IsBoolean, IsInt, IsMongoId, Max, Min } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';
import type { DegradedContext } from '@/common/graphql/degraded-response';
import { markDegraded } from '@/common/graphql/degraded-response';
import { selectedFieldNames } from '@/common/graphql/selection.util';
import { ScoreHistoryEntryModel } from '@/scoring/models/scoring-events.model';

import { RecordInteractionsInput, UpsertLeadsInput } from './dto/lead.inputs';
import { OverrideScoreInput } from './dto/score-override.input';
import { LeadsArgs } from './dto/leads.args';
import {
  LeadModel,
  LeadPageModel,
  RecordInteractionsResultModel,
  UpsertLeadsResultModel,
} from './models/lead.model';
import { LeadEngagementService } from './lead-engagement.service';
import { LeadRankingService } from './lead-ranking.service';
import { LEAD_ROW_FIELDS } from './lead-view.mapper';
import { LeadsService } from './leads.service';

@ArgsType()
class LeadArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a lead id' })
  id!: string;

  @Field(() => Boolean, { defaultValue: false })
  @IsBoolean()
  refresh: boolean = false;

  @Field(() => Boolean, { defaultValue: false })
  @IsBoolean()
  includeRaw: boolean = false;
}

@ArgsType()
class LeadHistoryArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a lead id' })
  id!: string;

  @Field(() => Int, { defaultValue: 100, description: '1 to 500, newest first.' })
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

/** A field of the lead view a row of the ranked list holds (or the type's name). */
function isRowField(name: string): boolean {
  return name === '__typename' || LEAD_ROW_FIELDS.has(name);
}

@Resolver(() => LeadModel)
export class LeadsResolver {
  constructor(
    private readonly leadsService: LeadsService,
    private readonly engagement: LeadEngagementService,
    private readonly ranking: LeadRankingService,
  ) {}

  @Query(() => LeadPageModel, {
    description: 'Leads ranked by score (reps: their own).',
    complexity: 20,
  })
  async leads(
    @CurrentUser() user: AuthUser,
    @Args() args: LeadsArgs,
    @Context() context: DegradedContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LeadPageModel> {
    // A page that shows only what a row holds is served from the ranking index alone.
    const selected = selectedFieldNames(info, ['items']);
    const rowsOnly = selected !== null && [...selected].every((name) => isRowField(name));
    const { page, degraded } = await this.ranking.page(user, args, { rowsOnly });
    markDegraded(context, degraded);
    return page;
  }

  @Query(() => LeadModel)
  async lead(
    @CurrentUser() user: AuthUser,
    @Args() args: LeadArgs,
    @Context() context: DegradedContext,
  ): Promise<LeadModel> {
    const { lead, degraded } = await this.ranking.one(user, args.id, args);
    markDegraded(context, degraded);
    return lead;
  }

  @Query(() => [ScoreHistoryEntryModel], {
    description: 'An entry whenever the score moved a point or more, or the model changed.',
  })
  leadScoreHistory(
    @CurrentUser() user: AuthUser,
    @Args() args: LeadHistoryArgs,
  ): Promise<ScoreHistoryEntryModel[]> {
    return this.ranking.history(user, args.id, args.limit);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Mutation(() => UpsertLeadsResultModel, {
    description: 'Creates or updates up to 1,000 leads by leadId; scores them.',
  })
  async upsertLeads(
    @CurrentUser() user: AuthUser,
    @Args('input') input: UpsertLeadsInput,
  ): Promise<UpsertLeadsResultModel> {
    const result = await this.leadsService.upsertLeads(user.tenantId, input.leads);
    return {
      created: result.created,
      updated: result.updated,
      failed: result.failed,
      leads: await this.ranking.byRefs(
        user.tenantId,
        result.leads.map((lead) => lead._id),
      ),
    };
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Mutation(() => LeadModel, {
    description:
      "Shows a manual score instead of the model's until expiresAt or clearOverride; the model keeps scoring beneath it (modelScore). Audited, and in the score history.",
  })
  overrideScore(
    @CurrentUser() user: AuthUser,
    @Args('input') input: OverrideScoreInput,
  ): Promise<LeadModel> {
    return this.ranking.overrideScore(user, input.leadId, input);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Mutation(() => LeadModel, {
    description: "Shows the model's score again. A lead without an override is answered as it is.",
  })
  clearOverride(
    @CurrentUser() user: AuthUser,
    @Args('leadId', { type: () => String, description: 'Your id for the lead.' }) leadId: string,
  ): Promise<LeadModel> {
    return this.ranking.clearOverride(user, leadId);
  }

  @Mutation(() => RecordInteractionsResultModel, {
    description:
      'Records up to 1,000 events; each idempotency key counts once. Their leads are rescored at once.',
  })
  recordInteractions(
    @CurrentUser() user: AuthUser,
    @Args('input') input: RecordInteractionsInput,
  ): Promise<RecordInteractionsResultModel> {
    return this.engagement.recordInteractions(user.tenantId, input.interactions, {
      ownerId: this.leadsService.ownerScope(user),
      acknowledge: input.acknowledge,
    });
  }
}
