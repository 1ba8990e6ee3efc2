import type { ScoreChangeReason } from '../../gql/graphql';

export interface HistoryEntry {
  at: string;
  score: number;
  previousScore?: number | null;
  reason: ScoreChangeReason;
  configVersion: number;
  modelVersion: number;
}

export interface HistoryPoint extends HistoryEntry {
  /** Milliseconds since the epoch: the chart's x value. */
  t: number;
}

export const REASON_LABELS: Record<ScoreChangeReason, string> = {
  AB_TEST_STARTED: 'A/B test started',
  AB_TEST_STOPPED: 'A/B test stopped',
  BATCH_RESCORE: 'Batch rescore',
  CONFIG_CHANGED: 'Scoring configuration changed',
  FRESHNESS: 'Score refreshed (decay)',
  INTERACTION: 'New interaction',
  LEAD_REOPENED: 'Lead reopened',
  LEAD_UPDATED: 'Lead updated',
  MODEL_DEPLOYED: 'Model deployed',
  MODEL_ROLLED_BACK: 'Model rolled back',
  OUTCOME_RECORDED: 'Outcome recorded',
  OVERRIDE_CLEARED: 'Manual score cleared',
  OVERRIDE_EXPIRED: 'Manual score expired',
  OVERRIDE_SET: 'Manual score set',
};

export function reasonLabel(reason: ScoreChangeReason): string {
  return REASON_LABELS[reason] ?? reason;
}

/**
 * The API answers newest first; the chart and its table read oldest → newest. Entries with an
 * unreadable time are dropped; equal times keep the API's order (reversed).
 */
export function toHistoryPoints(entries: readonly HistoryEntry[]): HistoryPoint[] {
  return entries
    .map((entry, index) => ({ entry, index, t: Date.parse(entry.at) }))
    .filter(({ t }) => Number.isFinite(t))
    .sort((a, b) => a.t - b.t || b.index - a.index)
    .map(({ entry, t }) => ({ ...entry, t }));
}
