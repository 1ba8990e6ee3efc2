/** Insights to write (worker role). Bull's limiter keeps the deployment to AI_REQUESTS_PER_MINUTE. */
export const AI_QUEUE = 'ai';

export const INSIGHT_JOB = 'insight';

export interface InsightJobData {
  readonly tenantId: string;
  readonly leadId: string;
  /** The state asked for: a job whose lead moved on since writes for the newer state. */
  readonly cacheKey: string;
}

/** One queued job per lead and state: asking again while it waits adds nothing. */
export function insightJobIdFor(tenantId: string, leadRef: string, cacheKey: string): string {
  return `insight-${tenantId}-${leadRef}-${cacheKey.slice(0, 16)}`;
}

/** Published when an insight is written (`insightReady`). */
export const INSIGHT_READY_TOPIC = 'ai.insightReady';
