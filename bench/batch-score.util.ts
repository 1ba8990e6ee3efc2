import { summarize } from './stats.util';

export const BATCH_SCORE_SIZE = 100;

export interface BatchScoreFigures {
  /** Calls that answered 200 with every lead scored. */
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /** Leads answered with their cached score because the recomputation ran out of budget or failed. */
  readonly degradedLeads: number;
  readonly failedCalls: number;
}

/**
 * Times `POST /api/v1/ml/batch-score` of BATCH_SCORE_SIZE leads, one call at a time, each on leads
 * of its own (`leadIdsOf(run)`). `prepare` runs untimed before each call (making the scores stale,
 * say). Latency is from the send to the whole body read.
 */
export async function timeBatchScore({
  url,
  token,
  runs,
  leadIdsOf,
  prepare,
}: {
  url: string;
  token: string;
  runs: number;
  leadIdsOf: (run: number) => string[];
  prepare?: (leadIds: string[]) => Promise<void>;
}): Promise<BatchScoreFigures> {
  const latencies: number[] = [];
  let degradedLeads = 0;
  let failedCalls = 0;
  for (let run = 0; run < runs; run++) {
    const leadIds = leadIdsOf(run);
    await prepare?.(leadIds);
    const started = performance.now();
    const response = await fetch(`${url}/api/v1/ml/batch-score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ leadIds }),
    });
    const body = (await response.json()) as { scored?: { degraded: string | null }[] };
    const ms = performance.now() - started;
    if (!response.ok || body.scored?.length !== leadIds.length) {
      failedCalls += 1;
      continue;
    }
    latencies.push(ms);
    degradedLeads += body.scored.filter((lead) => lead.degraded !== null).length;
  }
  const { n, p50, p95 } = summarize(latencies);
  return { n, p50, p95, max: Math.max(...latencies), degradedLeads, failedCalls };
}
