import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { MetricsService } from '@/metrics/metrics.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { ApplicableEvent, InteractionApplyService } from './interaction-apply.service';

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
  readonly events: readonly ApplicableEvent[];
  /** performance.now() when they were queued (the call that logged them answers then). */
  readonly loggedAt: number;
}

/**
 * Interactions acknowledged once logged (`recordInteractions` with `acknowledge: LOGGED`) wait
 * here, in this process, for their deltas to be applied: one apply at a time, first logged first,
 * each taking its tenant's queued calls together (APPLY_CHUNK). Applying starts once the calls
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
      help: 'Events taken from the backlog, by outcome: applied, or left to the sweeper after failed tries.',
      labelNames: ['outcome'],
      registers,
    });
    this.outcomes.inc({ outcome: 'applied' }, 0);
    this.outcomes.inc({ outcome: 'left_to_sweeper' }, 0);
  }

  /** Events queued or being applied in this process. */
  get size(): number {
    return this.held;
  }

  /**
   * Queues logged events for their apply once there is room (at once when the backlog is empty,
   * whatever their number). Resolves when they are queued, not applied.
   */
  async enqueue(tenantId: string, events: readonly ApplicableEvent[]): Promise<void> {
    if (events.length === 0) return;
    while (this.held > 0 && this.held + events.length > this.max) {
      const room = new Promise<void>((resolve) => this.waiting.push(resolve));
      this.kick();
      await room;
    }
    this.lastQueuedAt = performance.now();
    this.queue.push({ tenantId, events, loggedAt: this.lastQueuedAt });
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
    if (this.held === 0) return;
    const left = await Promise.race([
      this.flush().then(() => 0),
      new Promise<number>((resolve) => setTimeout(() => resolve(this.held), SHUTDOWN_DRAIN_MS)),
    ]);
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
      this.timer = setTimeout(() => this.kick(), Math.ceil(wait));
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
      const taken = this.takeChunk();
      const events = taken.flatMap((item) => item.events);
      const outcome = await this.applyWithRetries(taken[0].tenantId, events);
      this.outcomes.inc({ outcome }, events.length);
      const now = performance.now();
      for (const item of taken) this.lag.observe((now - item.loggedAt) / 1000);
      this.held -= events.length;
      this.backlog.set(this.held);
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  /** The first queued call and its tenant's later ones, in order, up to APPLY_CHUNK events. */
  private takeChunk(): Logged[] {
    const first = this.queue.shift()!;
    const taken = [first];
    let count = first.events.length;
    for (let i = 0; i < this.queue.length && count < APPLY_CHUNK;) {
      const item = this.queue[i];
      if (item.tenantId === first.tenantId && count + item.events.length <= APPLY_CHUNK) {
        taken.push(item);
        count += item.events.length;
        this.queue.splice(i, 1);
      } else i++;
    }
    return taken;
  }

  private async applyWithRetries(
    tenantId: string,
    events: ApplicableEvent[],
  ): Promise<'applied' | 'left_to_sweeper'> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.apply.applyEvents(tenantId, events, ScoreChangeReason.INTERACTION);
        return 'applied';
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
        if (final) return 'left_to_sweeper';
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }
}
