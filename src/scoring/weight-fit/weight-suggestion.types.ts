/** What `suggestScoringWeights` answers. Plain types. */
import type { SplitMethod } from '@/ml/eval/split.util';

import type { ConfigReport } from './config-report.util';
import type { HalfLifeFit } from './fit-weights.util';
import type { NotEnoughData } from './outcome-minimum.util';

/** The change to send to `updateScoringConfig`: exactly the fields of UpdateScoringConfigInput. */
export interface ScoringConfigPatch {
  readonly weights: {
    readonly emailOpens: number;
    readonly websiteVisits: number;
    readonly timeSpent: number;
  };
  /** Only when the half-life was fitted. */
  readonly halfLifeDays?: number;
}

export interface ScoringChoice {
  /** emailOpens, websiteVisits, timeSpent. */
  readonly weights: readonly [number, number, number];
  readonly halfLifeDays: number;
  readonly report: ConfigReport;
}

export interface ClassCounts {
  readonly outcomes: number;
  readonly converted: number;
}

export interface FitData extends ClassCounts {
  readonly lost: number;
  readonly train: ClassCounts;
  readonly heldOut: ClassCounts;
  readonly split: { readonly method: SplitMethod; readonly reason: string; readonly seed: number };
}

export interface FitDetails {
  /** Logistic log-likelihood of the weighted score (see fit-weights.util for why). */
  readonly objective: 'LOGISTIC_LIKELIHOOD';
  /** log-odds of converting = intercept + scale · score / 100, on the training outcomes. */
  readonly intercept: number;
  readonly scale: number;
  readonly trainLogLoss: number;
  readonly halfLifeFitted: boolean;
  readonly halfLives: readonly HalfLifeFit[];
}

export interface WeightsSuggested {
  readonly status: 'SUGGESTED';
  /** The scoring config version the suggestion starts from, when given. */
  readonly basedOnVersion: number | null;
  readonly patch: ScoringConfigPatch;
  readonly current: ScoringChoice;
  readonly suggested: ScoringChoice;
  readonly fit: FitDetails;
  readonly data: FitData;
  readonly message: string;
}

/** Enough outcomes, but no component rises with converting: the current weights are kept. */
export interface NoSignal {
  readonly status: 'NO_SIGNAL';
  readonly basedOnVersion: number | null;
  readonly current: ScoringChoice;
  readonly fit: FitDetails;
  readonly data: FitData;
  readonly message: string;
}

export type WeightSuggestion = WeightsSuggested | NoSignal | NotEnoughData;
