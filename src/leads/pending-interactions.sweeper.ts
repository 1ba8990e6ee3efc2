import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionsRepository } from './interactions.repository';
import { LeadsService } from './leads.service';

/** An event older than this and unclaimed has lost its writer (requests end long before). */
export const UNCLAIMED_GRACE_MS = 60_000;
/** How far back each sweep looks: workers down for longer leave older events unapplied. */
export const SWEEP_LOOKBACK_MS = 60 * 60_000;
/**
 * Every 5 minutes: on mongo-java-server the sweep's query scans the whole interaction log (it uses
 * no non-unique index), a cost to keep out of every minute; a dead writer's events wait ≤ 6 min.
 */
const SWEEP_EVERY_MS = 5 * 60_000;
const SWEEP_BATCH = 1_000;

/**
 * Workers sweep the recent interaction log for events that were stored but never claimed (their
 * writer died between the two writes) and apply them. Claims make it safe for several workers,
 * and for a writer that is merely slow, to meet the same event: whoever claims it adds it, once.
 */
@Injectable()
export class PendingInteractionsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PendingInteractionsSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly leads: LeadsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => {
          this.logger.warn({ msg: 'interaction sweep failed', error: String(error) });
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Applies the unclaimed events received in the lookback window; returns how many it applied. */
  async sweep(now = new Date()): Promise<number> {
    const until = new Date(now.getTime() - UNCLAIMED_GRACE_MS);
    let from = new Date(now.getTime() - SWEEP_LOOKBACK_MS);
    let applied = 0;
    for (;;) {
      const events = await this.interactions.receivedBetween(from, until, SWEEP_BATCH);
      if (events.length === 0) break;
      const open = await this.interactions.unclaimed(events.map((event) => event._id));
      const byTenant = new Map<string, typeof events>();
      for (const event of events.filter((e) => open.has(e._id.toHexString()))) {
        const tenantId = event.tenantId.toHexString();
        byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), event]);
      }
      for (const [tenantId, tenantEvents] of byTenant) {
        await this.leads.applyEvents(tenantId, tenantEvents, ScoreChangeReason.INTERACTION);
        applied += tenantEvents.length;
      }
      if (events.length < SWEEP_BATCH) break;
      // Events received in the same millisecond as the last one are read again: claims skip them.
      from = events[events.length - 1].receivedAt;
      if (from.getTime() === events[0].receivedAt.getTime()) from = new Date(from.getTime() + 1);
    }
    if (applied > 0)
      this.logger.warn({ msg: 'applied interactions their writer left unclaimed', count: applied });
    return applied;
  }
}
