import type { TrainingJobStatus, TrainingStage } from '../../../gql/graphql';

export interface JobSnapshot {
  status: TrainingJobStatus;
  stage: TrainingStage;
  progress: number;
  iteration: number;
}

const TERMINAL: ReadonlySet<TrainingJobStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export function isJobFinished(status: TrainingJobStatus): boolean {
  return TERMINAL.has(status);
}

const STAGE_ORDER: Record<TrainingStage, number> = {
  QUEUED: 0,
  BUILDING_FEATURES: 1,
  FITTING: 2,
  EVALUATING: 3,
  REGISTERING: 4,
  DONE: 5,
};

/**
 * Of two snapshots of one job (one from the subscription, one from polling), the later: a
 * finished one wins, then the later stage, then the higher progress and iteration. A stale poll
 * answer never moves the bar backwards.
 */
export function latestSnapshot<T extends JobSnapshot>(
  a: T | null | undefined,
  b: T | null | undefined,
): T | null {
  if (!a) return b ?? null;
  if (!b) return a;
  const finishedA = isJobFinished(a.status);
  const finishedB = isJobFinished(b.status);
  if (finishedA !== finishedB) return finishedA ? a : b;
  const stage = STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage];
  if (stage !== 0) return stage > 0 ? a : b;
  if (a.progress !== b.progress) return a.progress > b.progress ? a : b;
  return a.iteration >= b.iteration ? a : b;
}

export const STAGE_LABEL: Record<TrainingStage, string> = {
  QUEUED: 'Queued',
  BUILDING_FEATURES: 'Building features',
  FITTING: 'Fitting',
  EVALUATING: 'Evaluating on the test rows',
  REGISTERING: 'Registering the model',
  DONE: 'Done',
};

/** Clamped to [0, 1], whatever the API sends. */
export function progressValue(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.min(1, Math.max(0, progress));
}
