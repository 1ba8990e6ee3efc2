import { Injectable } from '@nestjs/common';

import { PeriodicSweeper } from '@/common/queues/periodic-sweeper';

import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionsRepository } from './interactions.repository';
import { InteractionApplyService } from './interaction-apply.service';
import { Interaction } from './schemas/interaction.schema';

/** An event older than this without a receipt has lost its writer (requests end long before). */
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
 * Workers sweep the recent interaction log for events that were stored but have no receipt (their
 * writer died or failed between storing and applying them) and apply them. Applying is
 * idempotent (InteractionApplyService.applyEvents), so several workers, and a writer that is merely slow,
 * may meet the same event: it is added once.
 */
@Injectable()
export class PendingInteractionsSweeper extends PeriodicSweeper {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly apply: InteractionApplyService,
  ) {
    super(PendingInteractionsSweeper.name, 'interaction', SWEEP_EVERY_MS);
  }

  /**
   * Applies the events of the lookback window that have no receipt (their writer died, or failed,
   * between storing and applying them); returns how many deltas it added. Events that were in
   * their lead already (the writer died after applying, before the receipt) only get a receipt.
   */
  override async sweep(now = new Date()): Promise<number> {
    const until = new Date(now.getTime() - UNCLAIMED_GRACE_MS);
    const from = new Date(now.getTime() - SWEEP_LOOKBACK_MS);
    let applied = 0;
    let after: Interaction | undefined;
    for (;;) {
      const events = await this.interactions.receivedBetween(from, until, SWEEP_BATCH, after);
      if (events.length === 0) break;
      after = events[events.length - 1];
      const open = await this.interactions.unapplied(events.map((event) => event._id));
      const byTenant = new Map<string, Interaction[]>();
      for (const event of events.filter((e) => open.has(e._id.toHexString()))) {
        const tenantId = event.tenantId.toHexString();
        byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), event]);
      }
      for (const [tenantId, tenantEvents] of byTenant) {
        const result = await this.apply.applyEvents(
          tenantId,
          tenantEvents,
          ScoreChangeReason.INTERACTION,
        );
        applied += result.applied;
      }
      if (events.length < SWEEP_BATCH) break;
    }
    if (applied > 0)
      this.logger.warn({ msg: 'applied interactions their writer left unapplied', count: applied });
    return applied;
  }
}
