import type { ScoringJobStatus } from '../../gql/graphql';

/** A rescoring job's progress as the page shows it, from the subscription or a poll. */
export interface JobProgressState {
  status: ScoringJobStatus;
  processed: number;
  total: number;
  changed: number;
  error?: string | null;
}

export const FINAL_STATUSES: ReadonlySet<ScoringJobStatus> = new Set(['COMPLETED', 'FAILED']);

export function isFinal(progress: JobProgressState | null | undefined): boolean {
  return !!progress && FINAL_STATUSES.has(progress.status);
}

/**
 * The newer of two reports. Events and polls can arrive out of order: a finished job never goes
 * back to running, and a running job's count never goes down.
 */
export function mergeProgress(
  prev: JobProgressState | null,
  next: JobProgressState,
): JobProgressState {
  if (!prev) return next;
  const error = next.error ?? prev.error ?? null;
  if (isFinal(prev) && !isFinal(next)) return prev;
  if (isFinal(next)) return { ...next, error };
  if (prev.status === 'RUNNING' && next.status === 'QUEUED') return prev;
  if (next.processed < prev.processed) return prev;
  return { ...next, error };
}

export interface JobSummary {
  id: string;
  reason: string;
  createdAt: string;
}

/** Clocks of one server, but a save and its job are a few ms apart: allow a little slack. */
const SLACK_MS = 5_000;

/**
 * The rescoring job a config save started: among the newest jobs (newest first), the first
 * CONFIG_CHANGED one created when the version was saved or after.
 */
export function findConfigJob<T extends JobSummary>(
  jobs: readonly T[],
  savedAt: string | null | undefined,
): T | null {
  const since = savedAt ? Date.parse(savedAt) - SLACK_MS : Number.NEGATIVE_INFINITY;
  return (
    jobs.find((job) => job.reason === 'CONFIG_CHANGED' && Date.parse(job.createdAt) >= since) ??
    null
  );
}

export function statusText(progress: JobProgressState): string {
  switch (progress.status) {
    case 'QUEUED':
      return 'Rescoring is queued.';
    case 'RUNNING':
      return 'Rescoring leads…';
    case 'COMPLETED':
      return `Rescoring completed: ${progress.changed} of ${progress.total} leads changed score.`;
    case 'FAILED':
      return `Rescoring failed${progress.error ? `: ${progress.error}` : '.'}`;
    default:
      return progress.status;
  }
}
