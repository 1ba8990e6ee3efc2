/** Scheduled retrainings (a repeatable job per tenant) and on-demand runs. */
export const LIFECYCLE_QUEUE = 'lifecycle';

export enum LifecycleJobName {
  /** Fired by the tenant's repeatable schedule: starts a decision and runs it. */
  SCHEDULED = 'scheduled',
  /** Runs a decision already recorded (`runRetraining`, a drift). */
  RUN = 'run',
}

export interface ScheduledRetrainingData {
  readonly tenantId: string;
}

export interface RunRetrainingData {
  readonly tenantId: string;
  readonly decisionId: string;
}

/** The repeatable job's id: one schedule per tenant (no `:`, which Bull's repeat keys split on). */
export function scheduleIdFor(tenantId: string): string {
  return `retraining-${tenantId}`;
}
