import { ScoreChangeReason } from '../schemas/score-history.schema';
import type { ScoringJob, ScoringJobStatus } from '../schemas/scoring-job.schema';

/** A batch rescoring job as the APIs show it (GraphQL `ScoringJob`, REST v1 `ScoringJob`). */
export interface ScoringJobView {
  id: string;
  status: ScoringJobStatus;
  reason: ScoreChangeReason;
  total: number;
  processed: number;
  changed: number;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export function toScoringJobView(job: ScoringJob): ScoringJobView {
  return {
    id: job._id.toHexString(),
    status: job.status,
    reason: job.reason as ScoreChangeReason,
    total: job.total,
    processed: job.processed,
    changed: job.changed,
    attempts: job.attempts,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    error: job.error,
  };
}
