import { Args, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Role } from '@/auth/role.enum';

import { InsightReadyEvent, InsightsService } from './insights.service';
import {
  InsightReadyArgs,
  LeadInsightArgs,
  LeadInsightModel,
  RequestInsightsInput,
} from './models/lead-insight.model';

@Resolver()
export class AiResolver {
  constructor(private readonly insights: InsightsService) {}

  @Mutation(() => LeadInsightModel, {
    description:
      "Asks for a lead's insight. Answered at once: READY with `current: true` when the stored one was written for the lead's current state (no call made), else QUEUED (the `ai` queue writes it; `insightReady` tells).",
  })
  requestInsight(
    @CurrentUser() user: AuthUser,
    @Args() args: LeadInsightArgs,
  ): Promise<LeadInsightModel> {
    return this.insights.request(user, args.leadId);
  }

  @Mutation(() => [LeadInsightModel], {
    description: 'requestInsight for 1 to 100 leads (e.g. a rep’s top leads), in the order asked.',
  })
  requestInsights(
    @CurrentUser() user: AuthUser,
    @Args('input') input: RequestInsightsInput,
  ): Promise<LeadInsightModel[]> {
    return this.insights.requestMany(user, input.leadIds);
  }

  @Query(() => LeadInsightModel, {
    nullable: true,
    description: "The lead's latest insight and its status; null before the first request.",
  })
  leadInsight(
    @CurrentUser() user: AuthUser,
    @Args() args: LeadInsightArgs,
  ): Promise<LeadInsightModel | null> {
    return this.insights.latest(user, args.leadId);
  }

  @Subscription(() => LeadInsightModel, {
    description: 'An insight was written (reps: of their own leads), or could not be.',
    filter: (
      event: InsightReadyEvent,
      args: InsightReadyArgs,
      context: { req?: { user?: AuthUser } },
    ) => {
      const user = context.req?.user;
      if (!user || event.tenantId !== user.tenantId) return false;
      if (user.role === Role.REP && event.ownerId !== user.userId) return false;
      return !args.leadId || args.leadId === event.insight.leadId;
    },
    resolve: (event: InsightReadyEvent): LeadInsightModel => ({
      ...event.insight,
      generatedAt: event.insight.generatedAt ? new Date(event.insight.generatedAt) : null,
      requestedAt: new Date(event.insight.requestedAt),
    }),
  })
  insightReady(@Args() _args: InsightReadyArgs): AsyncIterableIterator<InsightReadyEvent> {
    return this.insights.subscribe();
  }
}
