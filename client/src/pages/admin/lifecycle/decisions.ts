import type { ModelDecisionOutcome, RetrainingStage } from '../../../gql/graphql';
import type { Tone } from '../components/Badge';

export const OUTCOME_LABEL: Record<ModelDecisionOutcome, string> = {
  PROMOTED: 'Promoted',
  KEPT: 'Kept the champion',
  BELOW_MINIMUM: 'Below the minimum data',
  NO_NEW_DATA: 'No new data',
};

export const OUTCOME_TONE: Record<ModelDecisionOutcome, Tone> = {
  PROMOTED: 'good',
  KEPT: 'neutral',
  BELOW_MINIMUM: 'warn',
  NO_NEW_DATA: 'neutral',
};

export const RETRAINING_STAGE_LABEL: Record<RetrainingStage, string> = {
  QUEUED: 'Queued',
  BUILDING_VERSION: 'Building a dataset version',
  TRAINING: 'Training the challenger',
  EVALUATING: 'Evaluating both models',
  DEPLOYING: 'Deploying',
  DONE: 'Done',
};

export interface FiguresLike {
  auc?: number | null;
  prAuc?: number | null;
  logLoss?: number | null;
  brier?: number | null;
}

/** "AUC 0.812, PR-AUC 0.700, log loss 0.450, Brier 0.150"; the missing ones left out. */
export function describeFigures(f: FiguresLike | null | undefined): string {
  if (!f) return '—';
  const parts: string[] = [];
  if (f.auc != null) parts.push(`AUC ${f.auc.toFixed(3)}`);
  if (f.prAuc != null) parts.push(`PR-AUC ${f.prAuc.toFixed(3)}`);
  if (f.logLoss != null) parts.push(`log loss ${f.logLoss.toFixed(3)}`);
  if (f.brier != null) parts.push(`Brier ${f.brier.toFixed(3)}`);
  return parts.length > 0 ? parts.join(', ') : '—';
}
