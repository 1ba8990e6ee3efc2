import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Types } from 'mongoose';

import type { ConnectedAppConfig } from '@/config/app-config';

import type { ScoreWalks } from '../score-walks.service';
import type { LeadScoringService, StoredScore } from '../lead-scoring.service';
import { RankingRebuilds, RankingRebuildSuperseded } from '../ranking/ranking-rebuild';
import { ScoreChangeReason } from '../schemas/score-history.schema';
import { ScoringJobStatus } from '../schemas/scoring-job.schema';
import type { ScoringConfigService } from '../scoring-config.service';
import type { ScoringMetrics } from '../scoring-metrics';
import { ScoringModelRegistry, WEIGHTED_SUM_CHOICE } from '../scoring-model.registry';
import { BatchScoringProcessor } from './batch-scoring.processor';
import type { RescoreJobData, RescoreProgress } from './scoring-queue.constants';
import { ScoringJobName } from './scoring-queue.constants';
import type { ScoringJobsService } from './scoring-jobs.service';

/**
 * The batch jobs' bookkeeping, with the services they drive replaced by stand-ins: where a job
 * starts and resumes, what it records after each chunk, the freshness figures, the rebuild's end
 * and failed jobs. Against the real engines: test/integration/batch-rescoring and batch-kill.
 */

const tenantId = new Types.ObjectId().toHexString();
const recordId = new Types.ObjectId().toHexString();
const CONFIG = { version: 4 };

/** Stored scores with ascending lead refs, as `chunks` reads them. */
function storedScores(count: number): StoredScore[] {
  return Array.from({ length: count }, () => {
    const ref = new Types.ObjectId();
    const score = { _id: ref, leadRef: ref, score: 50, leadVersion: 1, computedAt: new Date(0) };
    // What the index's encoding reads of a stored score beyond the rank keys.
    const stored = {
      tenantId: new Types.ObjectId(tenantId),
      breakdown: { rawScore: 0.5, decayFactor: 1, daysSinceLastActivity: null, terms: [] },
    };
    return { ...score, ...stored, lastActivityAt: null, ownerId: null } as unknown as StoredScore;
  });
}

function makeProcessor(options: { chunks?: StoredScore[][]; delayMs?: number } = {}) {
  const chunkList = options.chunks ?? [];
  const scores = {
    countMatching: jest.fn().mockResolvedValue(chunkList.flat().length),
    chunks: jest.fn(async function* (
      _tenant: string,
      _filter: Record<string, unknown>,
      _after: Types.ObjectId | null,
      _size: number,
      _options?: { withBreakdown: boolean },
    ) {
      await Promise.resolve();
      for (const chunk of chunkList) yield chunk;
    }),
    rankingWalk: jest.fn(async function* (_tenant: string, _size: number) {
      await Promise.resolve();
      for (const chunk of chunkList) yield chunk;
    }),
    tenantsWithStaleScores: jest.fn((_before: Date) => Promise.resolve<string[]>([])),
    countScores: jest.fn((_tenant: string, _filter?: { staleBefore?: Date }) => Promise.resolve(0)),
    estimatedScoreCount: jest.fn().mockResolvedValue(0),
  };
  const scoring = {
    // Every other lead of a chunk changes.
    rescoreStored: jest.fn(
      (
        _tenant: string,
        chunk: StoredScore[],
        _reason: ScoreChangeReason,
        _options: { redoSince?: Date },
      ) => Promise.resolve({ scored: chunk.length, changed: Math.floor(chunk.length / 2) }),
    ),
  };
  const jobs = {
    markStarted: jest.fn().mockResolvedValue({ attempts: 1, createdAt: new Date(0) }),
    update: jest.fn().mockResolvedValue(null),
  };
  const configs = { current: jest.fn().mockResolvedValue(CONFIG) };
  const models = new ScoringModelRegistry();
  /** The rebuild stand-in: the chunks it was given, and what `finish` answers. */
  const rebuild = {
    added: [] as string[][],
    get count(): number {
      return this.added.flat().length;
    },
    add: jest.fn((rows: { leadRef: Types.ObjectId }[]) => {
      rebuild.added.push(rows.map((row) => row.leadRef.toHexString()));
      return Promise.resolve();
    }),
    finish: jest.fn(async (onStage: (stage: string) => Promise<void>) => {
      await onStage('laying out');
      await onStage('applying held back');
      return 'completed';
    }),
  };
  const ranking = { begin: jest.fn().mockResolvedValue(rebuild), rebuild };
  const metrics = {
    freshRatio: { set: jest.fn() },
    tenantsBelowTarget: { set: jest.fn() },
    rankingRebuilds: { inc: jest.fn() },
    stage: jest.fn(),
  };
  const config = {
    scoring: { batchChunkSize: 2, batchChunkDelayMs: options.delayMs ?? 0, freshnessMinutes: 60 },
  };
  const processor = new BatchScoringProcessor(
    scoring as unknown as LeadScoringService,
    scores as unknown as ScoreWalks,
    configs as unknown as ScoringConfigService,
    jobs as unknown as ScoringJobsService,
    ranking as unknown as RankingRebuilds,
    models,
    metrics as unknown as ScoringMetrics,
    config as unknown as ConnectedAppConfig,
  );
  return { processor, scores, scoring, jobs, ranking, metrics };
}

/** A Bull job whose progress is `progress` (Bull's getter and setter in one method). */
function makeJob<T>(
  name: string,
  data: T,
  progress?: RescoreProgress,
  attempts: { made: number; of: number } = { made: 1, of: 3 },
) {
  const recorded: unknown[] = [];
  const job = {
    id: 'job-1',
    name,
    data,
    attemptsMade: attempts.made,
    opts: { attempts: attempts.of },
    progress: jest.fn((value?: unknown) => {
      if (value === undefined) return progress;
      recorded.push(value);
      return Promise.resolve();
    }),
  };
  return { job: job as unknown as Job<T>, recorded };
}

const rescoreData: RescoreJobData = {
  tenantId,
  recordId,
  reason: ScoreChangeReason.BATCH_RESCORE,
  filter: { ownerId: 'rep-1' },
};

beforeEach(() => {
  for (const level of ['log', 'warn', 'error'] as const)
    jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('batch rescoring', () => {
  it('rescores the matching leads chunk by chunk, recording after each where it got to', async () => {
    const chunks = [storedScores(2), storedScores(2), storedScores(1)];
    const { processor, scores, scoring, jobs, metrics } = makeProcessor({ chunks, delayMs: 1 });
    const { job, recorded } = makeJob(ScoringJobName.RESCORE, rescoreData);

    await expect(processor.rescore(job)).resolves.toEqual({ processed: 5, changed: 2 });

    expect(scores.countMatching).toHaveBeenCalledWith(tenantId, rescoreData.filter);
    expect(jobs.markStarted).toHaveBeenCalledWith(tenantId, recordId, 5);
    // From the first lead, with the job's one config and model, nothing taken as already done.
    expect(scores.chunks).toHaveBeenCalledWith(tenantId, rescoreData.filter, null, 2, {
      withBreakdown: false,
    });
    expect(scoring.rescoreStored.mock.calls.map((call) => call[3])).toEqual([
      { model: WEIGHTED_SUM_CHOICE, config: CONFIG, redoSince: undefined, whole: true },
      { model: WEIGHTED_SUM_CHOICE, config: CONFIG, redoSince: undefined, whole: true },
      { model: WEIGHTED_SUM_CHOICE, config: CONFIG, redoSince: undefined, whole: true },
    ]);
    // Each chunk's wait for its read and its progress write, timed apart.
    const stages = metrics.stage.mock.calls.map(([stage]) => stage as string);
    expect(stages.filter((stage) => stage === 'batch_read')).toHaveLength(3);
    expect(stages.filter((stage) => stage === 'batch_progress')).toHaveLength(3);
    const last = (i: number) => chunks[i][chunks[i].length - 1]._id.toHexString();
    expect(recorded).toEqual([
      { processed: 2, changed: 1, total: 5, lastLeadRef: last(0) },
      { processed: 4, changed: 2, total: 5, lastLeadRef: last(1) },
      { processed: 5, changed: 2, total: 5, lastLeadRef: last(2) },
    ]);
    expect(jobs.update).toHaveBeenLastCalledWith(tenantId, recordId, {
      status: ScoringJobStatus.COMPLETED,
      processed: 5,
      changed: 2,
      finishedAt: expect.any(Date),
      error: null,
    });
    // The record shows the progress after the first chunk, then at most once a second (this job
    // took milliseconds), and at the end.
    expect(jobs.update.mock.calls.map(([, , changes]) => changes as unknown)).toEqual([
      { processed: 2, changed: 1 },
      expect.objectContaining({ status: ScoringJobStatus.COMPLETED }),
    ]);
  });

  it('shows its progress in the record at most once a second', async () => {
    const chunks = [storedScores(1), storedScores(1), storedScores(1), storedScores(1)];
    const { processor, jobs } = makeProcessor({ chunks });
    const { job } = makeJob(ScoringJobName.RESCORE, rescoreData);
    // A clock 600 ms on at each reading: chunk 1 shown, 2 not (600 ms after), 3 shown (1.2 s).
    let clock = Date.UTC(2026, 11, 6);
    jest.spyOn(Date, 'now').mockImplementation(() => (clock += 600));
    await processor.rescore(job);
    expect(
      jobs.update.mock.calls
        .map(([, , changes]) => changes as { processed: number; status?: string })
        .filter((changes) => !changes.status)
        .map((changes) => changes.processed),
    ).toEqual([1, 3]);
  });

  it('resumes after the last recorded chunk, carrying the counts on, and finishes what the attempt before may have written', async () => {
    const chunks = [storedScores(2), storedScores(2), storedScores(2)];
    const { processor, scores, scoring, jobs } = makeProcessor({ chunks });
    const createdAt = new Date('2026-11-30T08:00:00.000Z');
    jobs.markStarted.mockResolvedValue({ attempts: 2, createdAt });
    const lastLeadRef = new Types.ObjectId().toHexString();
    const { job, recorded } = makeJob(ScoringJobName.RESCORE, rescoreData, {
      processed: 10,
      changed: 3,
      total: 16,
      lastLeadRef,
    });

    await expect(processor.rescore(job)).resolves.toEqual({ processed: 16, changed: 6 });

    // The total recorded by the first attempt stands; reading resumes after its last lead.
    expect(scores.countMatching).not.toHaveBeenCalled();
    expect(jobs.markStarted).toHaveBeenCalledWith(tenantId, recordId, 16);
    expect(scores.chunks.mock.calls[0][2]?.toHexString()).toBe(lastLeadRef);
    // Two chunks were in flight when the first attempt died: those two only are finished
    // rather than redone.
    expect(scoring.rescoreStored.mock.calls.map(([, , , options]) => options.redoSince)).toEqual([
      createdAt,
      createdAt,
      undefined,
    ]);
    expect(recorded.at(-1)).toMatchObject({ processed: 16, changed: 6, total: 16 });
  });

  it('completes a job that matches no lead', async () => {
    const { processor, scoring, jobs } = makeProcessor();
    const { job, recorded } = makeJob(ScoringJobName.RESCORE, rescoreData);
    await expect(processor.rescore(job)).resolves.toEqual({ processed: 0, changed: 0 });
    expect(scoring.rescoreStored).not.toHaveBeenCalled();
    expect(recorded).toEqual([]);
    expect(jobs.update).toHaveBeenLastCalledWith(
      tenantId,
      recordId,
      expect.objectContaining({ status: ScoringJobStatus.COMPLETED, processed: 0 }),
    );
  });
});

describe('refreshing stale scores', () => {
  it('measures freshness first, then rescores every stale score of every tenant', async () => {
    const chunks = [storedScores(2), storedScores(1)];
    const { processor, scores, scoring, metrics } = makeProcessor({ chunks });
    const [fresh, stale, empty] = ['t-fresh', 't-stale', 't-empty'];
    scores.tenantsWithStaleScores.mockResolvedValue([fresh, stale, empty]);
    // t-fresh: 4 stale of 100 (96 % fresh, above the 95 % target); t-stale: 10 of 20;
    // t-empty: its scores went meanwhile.
    const counts: Record<string, [number, number]> = {
      [fresh]: [4, 100],
      [stale]: [10, 20],
      [empty]: [0, 0],
    };
    scores.countScores.mockImplementation((tenant, filter) =>
      Promise.resolve(counts[tenant][filter?.staleBefore ? 0 : 1]),
    );
    scores.estimatedScoreCount.mockResolvedValue(140);

    // Each tenant's stale scores, read in chunks (the same stand-in chunks for all three).
    await expect(processor.refreshStale()).resolves.toEqual({ refreshed: 9 });

    expect(metrics.freshRatio.set).toHaveBeenCalledWith(1 - 14 / 140);
    expect(metrics.tenantsBelowTarget.set).toHaveBeenCalledWith(1);
    const cutoff = scores.tenantsWithStaleScores.mock.calls[0][0];
    expect(Date.now() - cutoff.getTime()).toBeGreaterThanOrEqual(60 * 60_000);
    expect(scores.chunks).toHaveBeenCalledWith(stale, { staleBefore: cutoff }, null, 2, {
      withBreakdown: false,
    });
    expect(new Set(scoring.rescoreStored.mock.calls.map((call) => call[2]))).toEqual(
      new Set([ScoreChangeReason.FRESHNESS]),
    );
  });

  it('counts a deployment without scores as all fresh', async () => {
    const { processor, metrics } = makeProcessor();
    await expect(processor.refreshStale()).resolves.toEqual({ refreshed: 0 });
    expect(metrics.freshRatio.set).toHaveBeenCalledWith(1);
    expect(metrics.tenantsBelowTarget.set).toHaveBeenCalledWith(0);
  });
});

describe('rebuilding the ranking index', () => {
  it('indexes every score and marks the index complete', async () => {
    const chunks = [storedScores(2), storedScores(1)];
    const { processor, scores, ranking, metrics } = makeProcessor({ chunks });
    const { job, recorded } = makeJob(ScoringJobName.REBUILD_RANKING, { tenantId });
    await expect(processor.rebuildRanking(job)).resolves.toEqual({ indexed: 3 });
    expect(ranking.begin).toHaveBeenCalledWith(tenantId);
    expect(scores.rankingWalk).toHaveBeenCalledWith(tenantId, 2);
    expect(ranking.rebuild.added).toEqual(
      chunks.map((chunk) => chunk.map((score) => score._id.toHexString())),
    );
    // Each chunk read, then each stage of the end.
    expect(recorded).toEqual([
      { indexed: 2 },
      { indexed: 3 },
      { indexed: 3, stage: 'laying out' },
      { indexed: 3, stage: 'applying held back' },
    ]);
    expect(ranking.rebuild.finish).toHaveBeenCalledTimes(1);
    expect(metrics.rankingRebuilds.inc).toHaveBeenCalledWith({ outcome: 'completed' });
  });

  it('fails, for Bull to retry, when the index was invalidated during the rebuild', async () => {
    const { processor, ranking, metrics } = makeProcessor({ chunks: [storedScores(2)] });
    ranking.rebuild.finish.mockResolvedValue('invalidated');
    const { job } = makeJob(ScoringJobName.REBUILD_RANKING, { tenantId });
    await expect(processor.rebuildRanking(job)).rejects.toThrow(
      'the ranking index was invalidated during its rebuild; retrying',
    );
    expect(metrics.rankingRebuilds.inc).toHaveBeenCalledWith({ outcome: 'invalidated' });
    expect(metrics.rankingRebuilds.inc).not.toHaveBeenCalledWith({ outcome: 'completed' });
  });

  it('stops, counted as superseded, once a later rebuild took the index over', async () => {
    const { processor, ranking, metrics } = makeProcessor({
      chunks: [storedScores(2), storedScores(2), storedScores(2)],
    });
    ranking.rebuild.add.mockRejectedValueOnce(new RankingRebuildSuperseded());
    const { job } = makeJob(ScoringJobName.REBUILD_RANKING, { tenantId });
    await expect(processor.rebuildRanking(job)).rejects.toThrow(RankingRebuildSuperseded);
    expect(ranking.rebuild.finish).not.toHaveBeenCalled();
    expect(metrics.rankingRebuilds.inc).toHaveBeenCalledWith({ outcome: 'superseded' });
    expect(metrics.rankingRebuilds.inc).not.toHaveBeenCalledWith({ outcome: 'completed' });
  });
});

describe('a failed job', () => {
  it('marks a rescoring FAILED once Bull will not run it again', async () => {
    const { processor, jobs } = makeProcessor();
    const { job } = makeJob(ScoringJobName.RESCORE, rescoreData, undefined, { made: 3, of: 3 });
    await processor.onFailed(job, new Error('engine gone'));
    expect(jobs.update).toHaveBeenCalledWith(tenantId, recordId, {
      status: ScoringJobStatus.FAILED,
      error: 'engine gone',
      finishedAt: expect.any(Date),
    });
  });

  it('leaves a rescoring that will be retried as it is', async () => {
    const { processor, jobs } = makeProcessor();
    const { job } = makeJob(ScoringJobName.RESCORE, rescoreData, undefined, { made: 1, of: 3 });
    await processor.onFailed(job, new Error('engine gone'));
    expect(jobs.update).not.toHaveBeenCalled();
  });

  it('has no record to update for the other jobs', async () => {
    const { processor, jobs } = makeProcessor();
    const { job } = makeJob(ScoringJobName.REBUILD_RANKING, rescoreData, undefined, {
      made: 3,
      of: 3,
    });
    await processor.onFailed(job, new Error('invalidated'));
    expect(jobs.update).not.toHaveBeenCalled();
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      expect.objectContaining({ name: ScoringJobName.REBUILD_RANKING, error: 'invalidated' }),
    );
  });
});
