import { ScoreChangeReason } from '../schemas/score-history.schema';

export const SCORING_QUEUE = 'scoring';

export const ScoringJobName = {
  /** Rescore a tenant's leads matching a filter (manual, or after a config change). */
  RESCORE: 'rescore',
  /** Repeatable: recompute every score older than the freshness window, all tenants. */
  REFRESH_STALE: 'refresh-stale',
  /** Rebuild a tenant's Redis ranking index from `leadScores` (when it is missing). */
  REBUILD_RANKING: 'rebuild-ranking',
} as const;

export interface RebuildRankingJobData {
  readonly tenantId: string;
}

export interface RescoreJobData {
  readonly tenantId: string;
  /** Mongo id of the job's ScoringJob record (status and progress as users see them). */
  readonly recordId: string;
  readonly reason: ScoreChangeReason;
  readonly filter: {
    readonly minScore?: number;
    readonly ownerId?: string;
    readonly status?: string;
  };
}

/** Kept in Bull's job progress: where a restarted job resumes. */
export interface RescoreProgress {
  readonly processed: number;
  /** Scores that moved (events published), over every attempt of the job. */
  readonly changed?: number;
  readonly total: number;
  readonly lastLeadRef: string | null;
}

export const BATCH_SCORING_PROGRESS_TOPIC = 'scoring.batchProgress';
