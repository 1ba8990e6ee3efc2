import { Args, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { AiSettingsService } from './ai-settings.service';
import { InsightReadyEvent, InsightsService } from './insights.service';
import {
  AiSettingsModel,
  InsightReadyArgs,
  LeadInsightArgs,
  LeadInsightModel,
  RequestInsightsInput,
  UpdateAiSettingsInput,
} from './models/lead-insight.model';

@Resolver()
export class AiResolver {
  constructor(
    private readonly insights: InsightsService,
    private readonly settings: AiSettingsService,
  ) {}

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => AiSettingsModel, { description: 'What insights may send to OpenAI.' })
  async aiSettings(@CurrentUser() user: AuthUser): Promise<AiSettingsModel> {
    const settings = await this.settings.get(user.tenantId);
    return { ...settings, attributes: settings.attributes ? [...settings.attributes] : null };
  }

  @Roles(Role.ADMIN)
  @Mutation(() => AiSettingsModel, {
    description:
      'Chooses what insights may send to OpenAI (the name; which attributes). Insights written before are rewritten on their next request.',
  })
  async updateAiSettings(
    @CurrentUser() user: AuthUser,
    @Args('input') input: UpdateAiSettingsInput,
  ): Promise<AiSettingsModel> {
    const settings = await this.settings.update(user.tenantId, user.userId, input);
    return { ...settings, attributes: settings.attributes ? [...settings.attributes] : null };
  }

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
