import { Args, Float, ID, Resolver, Subscription } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { flattenIterator } from '@/common/async/flatten-iterator.util';
import { EventBus } from '@/common/redis/event-bus.service';

import {
  LEAD_SCORE_CHANGED_TOPIC,
  LeadScoreChangedBatch,
  LeadScoreChangedEvent,
} from './lead-score.types';
import { LeadScoreChangeModel } from './models/scoring-events.model';

interface SubscriptionArgs {
  minScore?: number | null;
  ownerId?: string | null;
}

/** Tenant first, then role (reps see only their own leads), then the subscriber's arguments. */
export function leadScoreChangeVisible(
  event: LeadScoreChangedEvent,
  args: SubscriptionArgs,
  user: AuthUser | undefined,
): boolean {
  if (!user || event.tenantId !== user.tenantId) return false;
  if (user.role === Role.REP && event.ownerId !== user.userId) return false;
  if (args.minScore != null && event.score < args.minScore) return false;
  if (args.ownerId != null && event.ownerId !== args.ownerId) return false;
  return true;
}

@Resolver(() => LeadScoreChangeModel)
export class LeadScoreEventsResolver {
  constructor(private readonly events: EventBus) {}

  @Subscription(() => LeadScoreChangeModel, {
    description: 'Live score changes of your tenant (reps: of their own leads).',
    filter: (
      event: LeadScoreChangedEvent,
      args: SubscriptionArgs,
      context: { req?: { user?: AuthUser } },
    ) => leadScoreChangeVisible(event, args, context.req?.user),
    resolve: (event: LeadScoreChangedEvent): LeadScoreChangeModel => ({
      id: event.leadRef,
      leadId: event.leadId,
      ownerId: event.ownerId,
      score: event.score,
      previousScore: event.previousScore,
      tier: event.tier,
      reason: event.reason,
      configVersion: event.configVersion,
      at: new Date(event.at),
    }),
  })
  leadScoreChanged(
    @Args('minScore', { type: () => Float, nullable: true }) _minScore?: number,
    @Args('ownerId', { type: () => ID, nullable: true }) _ownerId?: string,
  ): AsyncIterableIterator<LeadScoreChangedEvent> {
    const batches = this.events.iterator<LeadScoreChangedBatch>(LEAD_SCORE_CHANGED_TOPIC);
    return flattenIterator(batches, (batch) => batch.events);
  }
}
