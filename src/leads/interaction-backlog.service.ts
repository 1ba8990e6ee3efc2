import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { MetricsService } from '@/metrics/metrics.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { APPLIED_EVENTS_KEPT } from './engagement-delta.util';
import { ApplicableEvent, InteractionApplyService } from './interaction-apply.service';
import { InteractionWindows } from './interaction-windows.service';

/**
 * Events one apply takes (of one tenant, from as many acknowledged calls as fit): a lead with
 * events from several calls is written and rescored once for all of them.
 */
export const APPLY_CHUNK = 1_000;
/**
 * The apply waits for a pause in the calls (no events queued for this long), so that a burst is
 * acknowledged without the apply competing with it for the database, and applied together...
 */
export const LINGER_QUIET_MS = 250;
/** ...but never keeps an event waiting longer than this before its apply starts. */
export const LINGER_MAX_MS = 1_000;
/** Tries of one chunk before its events are left to the PendingInteractionsSweeper. */
const APPLY_TRIES = 3;
const RETRY_DELAY_MS = 500;
/** How long shutdown waits for the backlog to be applied; what is left, the sweeper applies. */
const SHUTDOWN_DRAIN_MS = 5_000;

interface Logged {
  readonly tenantId: string;
  /** The call's events not yet taken by an apply. */
  events: readonly ApplicableEvent[];
  /** performance.now() when they were queued (the call that logged them answers then). */
  readonly loggedAt: number;
  /** The InteractionWindows window the call stored them in (settled once all are applied). */
  readonly window?: number;
  /** Some of its events were left to the sweeper (or their lead was not found). */
  unfinished: boolean;
}

type Outcome = 'applied' | 'left_to_sweeper' | 'lead_missing';

/**
 * Interactions acknowledged once logged (`recordInteractions` with `acknowledge: LOGGED`) wait
 * here, in this process, for their deltas to be applied: one apply at a time, first logged first,
 * each taking its tenant's queued calls together (APPLY_CHUNK events, at most APPLIED_EVENTS_KEPT
 * of one lead: one write of a lead then lists all of its events, so a chunk tried again, or met
 * by the sweeper, never adds one twice). Applying starts once the calls
 * pause (LINGER_QUIET_MS), when the oldest event has waited LINGER_MAX_MS, or when a call waits for
 * room, and then runs until the backlog is empty. The backlog is bounded (INTERACTIONS_BACKLOG_MAX
 * events): a call that would pass the bound waits for room before it is admitted, so a sustained
 * flow is acknowledged at the pace of the apply and memory stays bounded.
 *
 * Nothing here is needed for the events' safety: they are in the interaction log before they are
 * queued, without a receipt until their delta is in their lead. If this process dies, or an apply
 * keeps failing, the PendingInteractionsSweeper of the workers applies them (after its grace, and
 * exactly once: applying is idempotent). On shutdown the backlog is applied first, for a while.
 */
@Injectable()
export class InteractionBacklog implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InteractionBacklog.name);
  private readonly queue: Logged[] = [];
  /** Events queued or being applied: what admission counts. */
  private held = 0;
  /** The ids of the events queued or being applied (hex): a client's retry does not queue them again. */
  private readonly queuedIds = new Set<string>();
  private readonly waiting: (() => void)[] = [];
  private running?: Promise<void>;
  /** The lingering apply's start. */
  private timer?: NodeJS.Timeout;
  private lastQueuedAt = 0;
  private readonly max: number;
  private readonly backlog: Gauge;
  private readonly lag: Histogram;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly apply: InteractionApplyService,
    metrics: MetricsService,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
    private readonly windows: InteractionWindows,
  ) {
    this.max = config.ingestion.backlogMax;
    const registers = [metrics.registry];
    this.backlog = new Gauge({
      name: 'leadscoring_interactions_backlog',
      help: 'Interaction events acknowledged once logged whose deltas this process has yet to apply.',
      registers,
    });
    this.lag = new Histogram({
      name: 'leadscoring_interactions_apply_lag_seconds',
      help: 'From acknowledging events logged to their leads rescored, per apply.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.outcomes = new Counter({
      name: 'leadscoring_interactions_backlog_events_total',
      help: 'Events taken from the backlog, by outcome: applied, left to the sweeper after failed tries, or lead_missing (their lead was not found: left without a receipt).',
      labelNames: ['outcome'],
      registers,
    });
    this.outcomes.inc({ outcome: 'applied' }, 0);
    this.outcomes.inc({ outcome: 'left_to_sweeper' }, 0);
    this.outcomes.inc({ outcome: 'lead_missing' }, 0);
  }

  /** Events queued or being applied in this process. */
  get size(): number {
    return this.held;
  }

  /** Whether this event (by id) is queued or being applied here. */
  holds(eventId: string): boolean {
    return this.queuedIds.has(eventId);
  }

  /**
   * Queues logged events for their apply once there is room (at once when the backlog is empty,
   * whatever their number). Resolves when they are queued, not applied. `window`: the window the
   * call stored them in, which the backlog settles (or abandons) once it is done with them.
   */
  async enqueue(
    tenantId: string,
    events: readonly ApplicableEvent[],
    window?: number,
  ): Promise<void> {
    if (events.length === 0) return;
    while (this.held > 0 && this.held + events.length > this.max) {
      const room = new Promise<void>((resolve) => this.waiting.push(resolve));
      this.kick();
      await room;
    }
    this.lastQueuedAt = performance.now();
    this.queue.push({ tenantId, events, loggedAt: this.lastQueuedAt, window, unfinished: false });
    for (const event of events) this.queuedIds.add(event._id.toHexString());
    this.held += events.length;
    this.backlog.set(this.held);
    this.kick();
  }

  /**
   * Applies what is queued without lingering; resolves once every event queued so far is applied
   * (or left to the sweeper). For shutdown and tests.
   */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running) {
      this.kick(true);
      await this.running;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drainForShutdown();
    // The markers of the windows over and applied go now (the current one stays for the sweep).
    await this.windows.closeSettled();
  }

  private async drainForShutdown(): Promise<void> {
    if (this.held === 0) return;
    let timeout: NodeJS.Timeout | undefined;
    const left = await Promise.race([
      this.flush().then(() => 0),
      new Promise<number>((resolve) => {
        timeout = setTimeout(() => resolve(this.held), SHUTDOWN_DRAIN_MS);
      }),
    ]);
    clearTimeout(timeout);
    if (left > 0)
      this.logger.warn({
        msg: 'shutting down with logged interactions not yet applied; the sweeper applies them',
        events: left,
      });
  }

  /**
   * Starts the apply loop unless it runs, now or when the linger is over (`now`: at once). Looks
   * again once a loop ends: a call woken by the loop's last chunk may have queued its events after
   * the loop saw the queue empty.
   */
  private kick(now = false): void {
    if (this.running || this.queue.length === 0) return;
    const at = performance.now();
    const wait =
      now || this.waiting.length > 0
        ? 0
        : Math.min(
            this.lastQueuedAt + LINGER_QUIET_MS - at,
            this.queue[0].loggedAt + LINGER_MAX_MS - at,
          );
    if (wait > 0) {
      clearTimeout(this.timer);
      // Unreferenced: a process that ends without shutdown (which flushes) leaves the events to
      // the sweeper rather than staying up for them.
      this.timer = setTimeout(() => this.kick(), Math.ceil(wait)).unref();
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const { tenantId, events, touched, finished } = this.takeChunk();
      const outcome = await this.applyWithRetries(tenantId, events);
      if (outcome.outcome !== 'applied' || outcome.leadMissing > 0)
        for (const item of touched) item.unfinished = true;
      for (const item of finished) {
        if (item.window === undefined) continue;
        if (item.unfinished) this.windows.abandon(item.window);
        else this.windows.settle(item.window);
      }
      this.outcomes.inc({ outcome: outcome.outcome }, events.length - outcome.leadMissing);
      if (outcome.leadMissing > 0)
        this.outcomes.inc({ outcome: 'lead_missing' }, outcome.leadMissing);
      const now = performance.now();
      for (const item of finished) this.lag.observe((now - item.loggedAt) / 1000);
      for (const event of events) this.queuedIds.delete(event._id.toHexString());
      this.held -= events.length;
      this.backlog.set(this.held);
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  /**
   * Events of the first queued call's tenant, first logged first, up to APPLY_CHUNK and at most
   * APPLIED_EVENTS_KEPT of one lead (a lead's further events wait for the next chunk); and the
   * calls whose last events these are.
   */
  private takeChunk(): {
    tenantId: string;
    events: ApplicableEvent[];
    touched: Logged[];
    finished: Logged[];
  } {
    const { tenantId } = this.queue[0];
    const events: ApplicableEvent[] = [];
    const touched: Logged[] = [];
    const finished: Logged[] = [];
    const perLead = new Map<string, number>();
    for (let i = 0; i < this.queue.length && events.length < APPLY_CHUNK;) {
      const item = this.queue[i];
      if (item.tenantId !== tenantId) {
        i++;
        continue;
      }
      const left: ApplicableEvent[] = [];
      const taken = events.length;
      for (const event of item.events) {
        const lead = event.leadRef.toHexString();
        const count = perLead.get(lead) ?? 0;
        if (events.length < APPLY_CHUNK && count < APPLIED_EVENTS_KEPT) {
          events.push(event);
          perLead.set(lead, count + 1);
        } else left.push(event);
      }
      if (events.length > taken) touched.push(item);
      if (left.length === 0) {
        finished.push(item);
        this.queue.splice(i, 1);
      } else {
        item.events = left;
        i++;
      }
    }
    return { tenantId, events, touched, finished };
  }

  private async applyWithRetries(
    tenantId: string,
    events: ApplicableEvent[],
  ): Promise<{ outcome: Outcome; leadMissing: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { leadMissing } = await this.apply.applyEvents(
          tenantId,
          events,
          ScoreChangeReason.INTERACTION,
        );
        return { outcome: 'applied', leadMissing };
      } catch (error) {
        const final = attempt >= APPLY_TRIES;
        this.logger.warn({
          msg: final
            ? 'logged interactions not applied; the sweeper applies them'
            : 'applying logged interactions failed; trying again',
          tenantId,
          events: events.length,
          attempt,
          error: (error as Error).message,
        });
        if (final) return { outcome: 'left_to_sweeper', leadMissing: 0 };
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt).unref());
      }
    }
  }
}
