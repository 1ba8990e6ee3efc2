import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

/**
 * The stages of a scoring write (`LeadScoringService.scoreSnapshots`) and of a batch job around it,
 * timed apart so that a slow batch shows where its time goes (issue: batch against a raw write).
 */
export type ScoringStage =
  | 'batch_read'
  | 'read_previous'
  | 'read_attributes'
  | 'compute'
  | 'write'
  | 'ranking_index'
  | 'history'
  | 'events'
  | 'batch_progress';

/**
 * What scoring does and how fresh it keeps the scores. Labels are bounded (reasons, model types,
 * outcomes); tenants are aggregated, never labels.
 */
@Injectable()
export class ScoringMetrics {
  /** Scores written, by why (ScoreChangeReason) and by which kind of model. */
  readonly scored: Counter<'reason' | 'model'>;
  /** Time to score one batch (read, compute, conditional write, index, events), by reason. */
  readonly duration: Histogram<'reason'>;
  /** Seconds spent in each stage of scoring writes and batch jobs (wall time, summed per call). */
  readonly stageSeconds: Histogram<'stage'>;
  /** Stale scores met on read: recomputed within the budget, or served stale (degraded). */
  readonly staleReads: Counter<'outcome'>;
  /** The specification's KPI, as the freshness job last saw it before refreshing. */
  readonly freshRatio: Gauge;
  readonly tenantsBelowTarget: Gauge;
  readonly rankingRebuilds: Counter<'outcome'>;
  /** Interaction events received: stored, or refused as a duplicate of a stored key. */
  readonly interactions: Counter<'outcome'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.scored = new Counter({
      name: 'leadscoring_scores_computed_total',
      help: 'Lead scores computed and written, by reason and model type.',
      labelNames: ['reason', 'model'],
      registers,
    });
    this.duration = new Histogram({
      name: 'leadscoring_score_batch_duration_seconds',
      help: 'Time to score one batch of leads (read, compute, write, index, publish), by reason.',
      labelNames: ['reason'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.stageSeconds = new Histogram({
      name: 'leadscoring_scoring_stage_seconds',
      help: 'Time in each stage of a scoring write or batch job (batch_read, read_previous, read_attributes, compute, write, ranking_index, history, events, batch_progress).',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.staleReads = new Counter({
      name: 'leadscoring_stale_score_reads_total',
      help: 'Stale scores met on a read with refresh: recomputed in time, or served stale.',
      labelNames: ['outcome'],
      registers,
    });
    this.freshRatio = new Gauge({
      name: 'leadscoring_scores_fresh_ratio',
      help: 'Share of all stored scores computed within SCORE_FRESHNESS_MINUTES, measured by the freshness job before it refreshes (target > 0.95).',
      registers,
    });
    this.tenantsBelowTarget = new Gauge({
      name: 'leadscoring_tenants_below_freshness_target',
      help: 'Tenants with 5 % or more of their scores older than SCORE_FRESHNESS_MINUTES, at the last freshness job.',
      registers,
    });
    // Unknown until this process's freshness job has measured: a process that runs no job (an api
    // replica) must not report 0 % fresh, or `min(leadscoring_scores_fresh_ratio) < 0.95`
    // (deploy/prometheus/alerts.yml) would fire for ever. PromQL's min and max skip NaN beside
    // other values.
    this.freshRatio.set(Number.NaN);
    this.tenantsBelowTarget.set(Number.NaN);
    this.rankingRebuilds = new Counter({
      name: 'leadscoring_ranking_rebuilds_total',
      help: 'Rebuilds of a tenant ranking index from MongoDB, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.interactions = new Counter({
      name: 'leadscoring_interactions_total',
      help: 'Interaction events received, by outcome (stored, or duplicate of a stored key).',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** Runs `work`, recording its wall time under `stage`. */
  async timed<T>(stage: ScoringStage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.stage(stage, started);
    }
  }

  /** Records the time since `started` (a `performance.now()`) under `stage`. */
  stage(stage: ScoringStage, started: number): void {
    this.stageSeconds.observe({ stage }, (performance.now() - started) / 1000);
  }
}

/** The target of the specification's KPI: more than 95 % of scores fresh. */
export const FRESHNESS_TARGET = 0.95;
