import type { InsightStatus, LeadPageInsightFragment } from '../../gql/graphql';
import { formatInteger } from '../../ui/format';

export type Insight = LeadPageInsightFragment;

/** QUEUED or RUNNING: a newer insight is being written. */
export function isPending(status: InsightStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/** On mount the section asks for an insight when there is none, or the stored one is stale. */
export function needsRequest(stored: Insight | null | undefined): boolean {
  return !stored || !stored.current;
}

const STATUS_ORDER: Record<InsightStatus, number> = { QUEUED: 0, RUNNING: 1, READY: 2, FAILED: 2 };

/**
 * Of two answers about one lead's insight (the query or its polling, the mutation, the
 * subscription), the later: the later request wins, then the further status (QUEUED, RUNNING,
 * then READY or FAILED), then the later written. A stale answer never takes the section back.
 */
export function latestInsight(
  a: Insight | null | undefined,
  b: Insight | null | undefined,
): Insight | null {
  if (!a) return b ?? null;
  if (!b) return a;
  const requested = Date.parse(a.requestedAt) - Date.parse(b.requestedAt);
  if (requested !== 0) return requested > 0 ? a : b;
  const status = STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
  if (status !== 0) return status > 0 ? a : b;
  const written = Date.parse(a.generatedAt ?? '') || 0;
  const writtenB = Date.parse(b.generatedAt ?? '') || 0;
  return written > writtenB ? a : b;
}

/** 850 → "850 ms", 2345 → "2.3 s". */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "1,234 tokens (1,000 prompt, 234 completion) · 2.3 s"; null when there is nothing to say. */
export function costText(insight: Pick<Insight, 'usage' | 'latencyMs'>): string | null {
  const parts: string[] = [];
  const { usage, latencyMs } = insight;
  if (usage) {
    parts.push(
      `${formatInteger(usage.totalTokens)} tokens (${formatInteger(usage.promptTokens)} prompt, ${formatInteger(usage.completionTokens)} completion)`,
    );
  }
  if (latencyMs != null) parts.push(formatLatency(latencyMs));
  return parts.length > 0 ? parts.join(' · ') : null;
}
