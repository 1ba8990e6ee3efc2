import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Types } from 'mongoose';

import { isFinalFailure } from '@/common/queues/final-failure.util';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { readAhead } from '@/common/async/read-ahead.util';

import { ScoreWalks } from '../score-walks.service';
import { LeadScoringService, ScoringOutcome, StoredScore } from '../lead-scoring.service';
import {
  RankingRebuild,
  RankingRebuildOutcome,
  RankingRebuilds,
  RankingRebuildSuperseded,
} from '../ranking/ranking-rebuild';
import { ScoreChangeReason } from '../schemas/score-history.schema';
import { ScoringJobStatus } from '../schemas/scoring-job.schema';
import { ScoringConfigService } from '../scoring-config.service';
import { FRESHNESS_TARGET, ScoringMetrics } from '../scoring-metrics';
import { ScoringModelRegistry } from '../scoring-model.registry';
import {
  RebuildRankingJobData,
  RescoreJobData,
  RescoreProgress,
  SCORING_QUEUE,
  ScoringJobName,
} from './scoring-queue.constants';
import { ScoringJobsService } from './scoring-jobs.service';

/**
 * Works through leads in `leadRef` (= score `_id`) order, one chunk per bulk write, reading the
 * next chunk while it writes this one, and records after each chunk
 * where it got to (in Bull's job progress; the job's record shows it at most once a second). Every write is an idempotent replace, so a worker that
 * dies mid-job leaves no lead half-written; when Bull hands the stalled job to another worker, it
 * resumes after the last finished chunk.
 */
/** Chunks being written at once (see `rescore`): what a resumed attempt may find written. */
const CHUNKS_IN_FLIGHT = 2;
/**
 * How often a rescoring's record (`scoringJob`, `batchScoringProgress`) shows its progress: after
 * its first chunk, then at most once a second, and at its end. Where it resumes from is recorded
 * after every chunk (in Bull's job progress, in Redis). Why: the record is a MongoDB write, and
 * one a chunk queued behind the next chunk's score writes on the database engine, holding the
 * chunk pipeline back.
 */
const PROGRESS_RECORD_INTERVAL_MS = 1_000;

@Processor(SCORING_QUEUE)
export class BatchScoringProcessor {
  private readonly logger = new Logger(BatchScoringProcessor.name);

  constructor(
    private readonly scoring: LeadScoringService,
    private readonly scores: ScoreWalks,
    private readonly configs: ScoringConfigService,
    private readonly jobs: ScoringJobsService,
    private readonly rankingRebuilds: RankingRebuilds,
    private readonly models: ScoringModelRegistry,
    private readonly metrics: ScoringMetrics,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {}

  @Process({ name: ScoringJobName.RESCORE, concurrency: 1 })
  async rescore(job: Job<RescoreJobData>): Promise<{ processed: number; changed: number }> {
    const { tenantId, recordId, reason, filter } = job.data;
    const resumed = (job.progress() as RescoreProgress | number | undefined) ?? 0;
    const start: RescoreProgress =
      typeof resumed === 'object' ? resumed : { processed: 0, total: 0, lastLeadRef: null };
    const total = start.total || (await this.scores.countMatching(tenantId, filter));
    const record = await this.jobs.markStarted(tenantId, recordId, total);
    // A later attempt may meet, in its first chunks, scores an earlier one wrote but did not
    // record (two chunks are in flight at once): those are finished, not redone (rescoreStored).
    const redoSince = record.attempts > 1 ? record.createdAt : undefined;
    let redoChunks = redoSince ? CHUNKS_IN_FLIGHT : 0;
    if (start.lastLeadRef)
      this.logger.log({ msg: 'resuming batch rescoring', jobId: recordId, ...start });

    // One config for the whole job: every lead ends up on the same version.
    const config = await this.configs.current(tenantId);
    // And one model: a deploy during the job is followed by a job of its own.
    const model = await this.models.current(tenantId, { fresh: true });
    // A resumed attempt carries on the counts of the attempts before it.
    let processed = start.processed;
    let changed = start.changed ?? 0;
    const after = start.lastLeadRef ? new Types.ObjectId(start.lastLeadRef) : null;
    const chunks = readAhead(
      this.scores.chunks(tenantId, filter, after, this.config.scoring.batchChunkSize, {
        withBreakdown: false,
      }),
    );
    // Two chunks in flight: while one's index update, history and events finish, the next one's
    // scores are written. Progress is recorded in chunk order, each once its chunk is done, so a
    // resumed job redoes at most the chunk after the recorded one (idempotent replaces).
    let recordedAt = 0;
    const finish = async (chunk: StoredScore[], work: Promise<ScoringOutcome>): Promise<void> => {
      const outcome = await work;
      processed += chunk.length;
      changed += outcome.changed;
      const lastLeadRef = chunk[chunk.length - 1]._id.toHexString();
      const progress: RescoreProgress = { processed, changed, total, lastLeadRef };
      const recording = performance.now();
      const shown = Date.now() - recordedAt >= PROGRESS_RECORD_INTERVAL_MS;
      if (shown) recordedAt = Date.now();
      await Promise.all([
        job.progress(progress),
        shown ? this.jobs.update(tenantId, recordId, { processed, changed }) : undefined,
      ]);
      this.metrics.stage('batch_progress', recording);
      if (this.config.scoring.batchChunkDelayMs > 0)
        await delay(this.config.scoring.batchChunkDelayMs);
    };
    let previous: Promise<void> | undefined;
    // The time spent waiting for the next chunk (read ahead while the one before is written).
    let reading = performance.now();
    for await (const chunk of chunks) {
      this.metrics.stage('batch_read', reading);
      const work = this.scoring.rescoreStored(tenantId, chunk, reason, {
        model,
        config,
        redoSince: redoChunks-- > 0 ? redoSince : undefined,
        whole: true,
      });
      work.catch(() => undefined); // reported by `finish`, in order
      if (previous) await previous;
      previous = finish(chunk, work);
      reading = performance.now();
    }
    if (previous) await previous;

    await this.jobs.update(tenantId, recordId, {
      status: ScoringJobStatus.COMPLETED,
      processed,
      changed,
      finishedAt: new Date(),
      error: null,
    });
    return { processed, changed };
  }

  @Process({ name: ScoringJobName.REFRESH_STALE, concurrency: 1 })
  async refreshStale(): Promise<{ refreshed: number }> {
    const cutoff = new Date(Date.now() - this.config.scoring.freshnessMinutes * 60_000);
    const staleTenants = await this.scores.tenantsWithStaleScores(cutoff);
    await this.recordFreshness(staleTenants, cutoff);
    let refreshed = 0;
    for (const tenantId of staleTenants) {
      const chunks = readAhead(
        this.scores.chunks(
          tenantId,
          { staleBefore: cutoff },
          null,
          this.config.scoring.batchChunkSize,
          { withBreakdown: false },
        ),
      );
      for await (const chunk of chunks) {
        // The cached configuration, checked against each chunk's scores (liveConfig): a save
        // during a long walk is taken up as soon as it is heard of or met.
        await this.scoring.rescoreStored(tenantId, chunk, ScoreChangeReason.FRESHNESS, {
          whole: true,
        });
        refreshed += chunk.length;
      }
    }
    return { refreshed };
  }

  /**
   * The specification's KPI (> 95 % of scores fresh within SCORE_FRESHNESS_MINUTES) as this job
   * finds it, before refreshing: the deployment's fresh share and the tenants under the target.
   * Only tenants with stale scores are counted one by one; the others are fresh by definition.
   */
  private async recordFreshness(staleTenants: readonly string[], cutoff: Date): Promise<void> {
    let stale = 0;
    let below = 0;
    for (const tenantId of staleTenants) {
      const [tenantStale, tenantTotal] = await Promise.all([
        this.scores.countScores(tenantId, { staleBefore: cutoff }),
        this.scores.countScores(tenantId),
      ]);
      stale += tenantStale;
      if (tenantTotal > 0 && 1 - tenantStale / tenantTotal < FRESHNESS_TARGET) below++;
    }
    const total = await this.scores.estimatedScoreCount();
    this.metrics.freshRatio.set(total > 0 ? Math.max(0, 1 - stale / total) : 1);
    this.metrics.tenantsBelowTarget.set(below);
  }

  /**
   * Rebuilds a tenant's Redis ranking index from `leadScores` (RankingRebuild: the orderings laid
   * out whole, live updates held back meanwhile and applied at the end, an entry never overwriting
   * a newer one); the index is marked complete only if nothing invalidated it since the start, else
   * the job fails and Bull retries it.
   */
  @Process({ name: ScoringJobName.REBUILD_RANKING, concurrency: 1 })
  async rebuildRanking(job: Job<RebuildRankingJobData>): Promise<{ indexed: number }> {
    const { tenantId } = job.data;
    const started = Date.now();
    const rebuild = await this.rankingRebuilds.begin(tenantId);
    let outcome: RankingRebuildOutcome;
    try {
      outcome = await this.layOut(rebuild, job);
    } catch (error) {
      if (error instanceof RankingRebuildSuperseded)
        this.metrics.rankingRebuilds.inc({ outcome: 'superseded' });
      throw error;
    }
    const indexed = rebuild.count;
    if (outcome === 'invalidated') {
      this.metrics.rankingRebuilds.inc({ outcome: 'invalidated' });
      throw new Error('the ranking index was invalidated during its rebuild; retrying');
    }
    this.metrics.rankingRebuilds.inc({ outcome: 'completed' });
    this.logger.log({
      msg: 'ranking index rebuilt',
      tenantId,
      indexed,
      ms: Date.now() - started,
    });
    return { indexed };
  }

  /** A rebuild's walk of `leadScores` and its end (RankingRebuild). */
  private async layOut(
    rebuild: RankingRebuild,
    job: Job<RebuildRankingJobData>,
  ): Promise<RankingRebuildOutcome> {
    const { tenantId } = job.data;
    const chunks = readAhead(this.scores.rankingWalk(tenantId, this.config.scoring.batchChunkSize));
    // One chunk's write in flight while the next is read and encoded: the database engine, Redis
    // and this process each work on their own chunk.
    let previous: Promise<void> | undefined;
    for await (const chunk of chunks) {
      const writing = rebuild.add(chunk);
      writing.catch(() => undefined); // reported below, in order
      if (previous) await previous;
      previous = writing.then(async () => {
        await job.progress({ indexed: rebuild.count });
      });
      // Awaited at the next chunk or the end; should the read fail first, not left unhandled.
      previous.catch(() => undefined);
    }
    if (previous) await previous;
    return rebuild.finish((stage) => job.progress({ indexed: rebuild.count, stage }));
  }

  @OnQueueFailed()
  async onFailed(job: Job<RescoreJobData>, error: Error): Promise<void> {
    if (job.name !== ScoringJobName.RESCORE) {
      this.logger.warn({ msg: 'scoring job failed', name: job.name, error: error.message });
      return;
    }
    const final = isFinalFailure(job, error);
    this.logger.error({
      msg: 'batch rescoring failed',
      jobId: job.id,
      attempt: job.attemptsMade,
      final,
      error: error.message,
    });
    if (final) {
      await this.jobs.update(job.data.tenantId, job.data.recordId, {
        status: ScoringJobStatus.FAILED,
        error: error.message,
        finishedAt: new Date(),
      });
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
