import { Injectable } from '@nestjs/common';

import { PeriodicSweeper } from '@/common/queues/periodic-sweeper';

import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionsRepository } from './interactions.repository';
import { InteractionApplyService } from './interaction-apply.service';
import { InteractionWindows } from './interaction-windows.service';
import { mergeRanges, UNCLAIMED_GRACE_MS } from './interaction-windows.util';
import { Interaction } from './schemas/interaction.schema';

/**
 * A swept window's marker is removed only this long after the window: a writer slowed past the
 * grace (an overloaded engine: each write may take up to the driver's 60 s socket timeout) whose
 * events land after a sweep read the range still has them swept; and events whose lead was not
 * found are tried again by each sweep until then.
 */
export const MARKER_KEPT_MS = 5 * 60_000;
/**
 * A worker's first sweep after it starts also reads this much of the log before it, whatever the
 * markers: events a writer of a version without markers left unapplied (an upgrade).
 */
export const STARTUP_LOOKBACK_MS = 60 * 60_000;
/**
 * Every minute: a sweep reads the markers of windows over (a handful), and the log only in the
 * windows a writer abandoned; a dead writer's events wait ≤ 2 min past their window.
 */
const SWEEP_EVERY_MS = 60_000;
const SWEEP_BATCH = 1_000;

/**
 * Workers apply the events that a writer stored but left without a receipt (it died or failed
 * between storing and applying them). Writers mark each time window they store events in before
 * storing any (InteractionWindows) and remove the marker once all of them are applied, so a marker
 * past its grace points at the only part of the log that may hold such events: the sweep reads
 * those time ranges, applies what has no receipt, and removes the markers. Applying is idempotent
 * (InteractionApplyService.applyEvents), so several workers, and a writer that is merely slow, may
 * meet the same event: it is added once.
 */
@Injectable()
export class PendingInteractionsSweeper extends PeriodicSweeper {
  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly apply: InteractionApplyService,
    private readonly windows: InteractionWindows,
  ) {
    super(PendingInteractionsSweeper.name, 'interaction', SWEEP_EVERY_MS);
  }

  private startup?: NodeJS.Timeout;

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.startup = setTimeout(() => {
      this.sweepStartupLookback().catch((error: unknown) =>
        this.logger.warn({ msg: 'startup interaction sweep failed', error: String(error) }),
      );
    }, UNCLAIMED_GRACE_MS).unref();
  }

  override async onModuleDestroy(): Promise<void> {
    clearTimeout(this.startup);
    await super.onModuleDestroy();
  }

  /**
   * The first sweep's extra range: the STARTUP_LOOKBACK_MS before the grace, markers or not (see
   * STARTUP_LOOKBACK_MS). Answers the deltas it added.
   */
  async sweepStartupLookback(now = new Date()): Promise<number> {
    const until = new Date(now.getTime() - UNCLAIMED_GRACE_MS);
    const applied = await this.sweepRange(new Date(until.getTime() - STARTUP_LOOKBACK_MS), until);
    if (applied > 0)
      this.logger.warn({
        msg: 'applied interactions left unapplied before this start',
        count: applied,
      });
    return applied;
  }

  /**
   * Applies the events without a receipt in the windows their writers abandoned; returns how many
   * deltas it added. Events that were in their lead already (the writer died after applying,
   * before the receipt) only get a receipt. A range's markers go once it is swept and
   * MARKER_KEPT_MS past its window.
   */
  override async sweep(now = new Date()): Promise<number> {
    const due = await this.windows.due(new Date(now.getTime() - UNCLAIMED_GRACE_MS));
    if (due.length === 0) return 0;
    const removable = now.getTime() - MARKER_KEPT_MS;
    let applied = 0;
    for (const range of mergeRanges(
      due.map((marker) => ({ from: marker.from.getTime(), until: marker.until.getTime() })),
    )) {
      applied += await this.sweepRange(new Date(range.from), new Date(range.until));
      await this.windows.remove(
        due
          .filter(
            (m) =>
              m.from.getTime() >= range.from &&
              m.until.getTime() <= range.until &&
              m.until.getTime() <= removable,
          )
          .map((m) => m._id),
      );
    }
    if (applied > 0)
      this.logger.warn({ msg: 'applied interactions their writer left unapplied', count: applied });
    return applied;
  }

  private async sweepRange(from: Date, until: Date): Promise<number> {
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
    return applied;
  }
}
