/** Drift checks: the daily sweep and one check per tenant with a trained model deployed. */
export const DRIFT_QUEUE = 'drift';

export enum DriftJobName {
  /** Repeatable (one for the whole deployment): queues a CHECK per tenant with a trained model. */
  SWEEP = 'sweep',
  /** Checks the tenant's deployed model. */
  CHECK = 'check',
}

export interface CheckDriftData {
  readonly tenantId: string;
}

/** The sweep's repeatable job id (no `:`, which Bull's repeat keys split on). */
export const DRIFT_SWEEP_JOB_ID = 'drift-sweep';
export const DRIFT_SWEEP_EVERY_MS = 86_400_000;

/** One check per tenant and sweep: a retried sweep queues no second one. */
export function checkJobIdFor(tenantId: string, sweepAt: number): string {
  return `check:${tenantId}:${sweepAt}`;
}

/** Published when a check of a deployed model flags drift (`modelDriftDetected`). */
export const MODEL_DRIFT_DETECTED_TOPIC = 'drift.detected';
