import { ColumnRole } from './column-role.util';
import { ColumnProfile, DatasetProfile } from './profile-dataset.util';

export type SetupFlagKind = 'POSSIBLE_LEAKAGE' | 'PROPOSE_REMOVAL';

export const LEAKAGE_MESSAGE = 'possible leakage — recorded after the outcome?';

export interface LeakageThresholds {
  /** A feature this good alone is suspect whatever the model does. */
  readonly singleFeatureAuc: number;
  /** "Alone carries most of the quick model's AUC": its own lift over 0.5, as a share of the model's. */
  readonly aloneShareOfLift: number;
  /** ...and the model leans on it: drop-column importance, as a share of the model's lift. */
  readonly dropShareOfLift: number;
  /** Below this lift over 0.5 the quick model learnt too little for shares of it to mean anything. */
  readonly minModelLift: number;
}

/**
 * Chosen on the bank data, where `duration` (the leak) alone has 76 % of the quick model's lift
 * and loses it 37 % when dropped, while the strongest honest feature (`month`) has 40 % and 5 %
 * with `duration` in, and still 64 % and 8 % once `duration` is out: the drop-column share is what
 * tells them apart. The drop-column share alone at 50 % would not flag `duration`.
 */
export const DEFAULT_LEAKAGE_THRESHOLDS: LeakageThresholds = Object.freeze({
  singleFeatureAuc: 0.85,
  aloneShareOfLift: 0.5,
  dropShareOfLift: 0.2,
  minModelLift: 0.05,
});

// (0.65 − 0.5) / (0.8 − 0.5) is 0.4999999999999999 in floating point: a share on the threshold
// is on it.
const FLOAT_DUST = 1e-9;

export interface LeakageEvidence {
  readonly singleFeatureAuc: number | null;
  readonly dropColumnImportance: number | null;
  readonly quickModelAuc: number | null;
  /** (singleFeatureAuc − 0.5) / (quickModelAuc − 0.5); null without both. */
  readonly aloneShareOfLift: number | null;
  /** dropColumnImportance / (quickModelAuc − 0.5); null without both. */
  readonly dropShareOfLift: number | null;
}

export interface SetupFlag {
  readonly column: string;
  readonly kind: SetupFlagKind;
  /** POSSIBLE_LEAKAGE: LEAKAGE_MESSAGE; PROPOSE_REMOVAL: what to do. */
  readonly message: string;
  /** Why, with the numbers. */
  readonly reason: string;
  /** POSSIBLE_LEAKAGE only. */
  readonly evidence: LeakageEvidence | null;
}

/**
 * The columns to look at before training, never dropped here (the caller shows the flags, the
 * admin decides; `recommendSetup` leaves them out of its proposal, saying why):
 *
 * - POSSIBLE_LEAKAGE, for a feature column whose single-feature AUC is at least
 *   `singleFeatureAuc`, or that alone carries most of the quick model's lift over 0.5 while the
 *   model leans on it: with L = quick-model AUC − 0.5 ≥ `minModelLift`, both
 *   single-feature AUC − 0.5 ≥ `aloneShareOfLift`·L and drop-column importance ≥ `dropShareOfLift`·L.
 * - PROPOSE_REMOVAL, for identifiers and constants: nothing to learn that holds for a new lead.
 *
 * In column order, a column's leakage flag before its removal flag.
 */
export function screenLeakage(
  profile: DatasetProfile,
  thresholds: Partial<LeakageThresholds> = {},
): SetupFlag[] {
  const limits = { ...DEFAULT_LEAKAGE_THRESHOLDS, ...thresholds };
  const modelAuc = profile.quickModel.auc;
  const lift = modelAuc === null ? null : modelAuc - 0.5;
  const flags: SetupFlag[] = [];
  for (const column of profile.columns) {
    if (column.kind !== 'FEATURE') continue;
    const leak = leakageFlag(column, modelAuc, lift, limits);
    if (leak) flags.push(leak);
    if (column.role === ColumnRole.IDENTIFIER || column.role === ColumnRole.CONSTANT) {
      flags.push({
        column: column.name,
        kind: 'PROPOSE_REMOVAL',
        message:
          column.role === ColumnRole.IDENTIFIER
            ? 'identifier: remove from the model inputs'
            : 'constant: remove from the model inputs',
        reason: `${column.roleReason}: nothing in it generalizes to a new lead`,
        evidence: null,
      });
    }
  }
  return flags;
}

function leakageFlag(
  column: ColumnProfile,
  modelAuc: number | null,
  lift: number | null,
  limits: LeakageThresholds,
): SetupFlag | null {
  const single = column.singleFeatureAuc;
  const drop = column.dropColumnImportance;
  const usable = lift !== null && lift >= limits.minModelLift;
  const evidence: LeakageEvidence = {
    singleFeatureAuc: single,
    dropColumnImportance: drop,
    quickModelAuc: modelAuc,
    aloneShareOfLift: usable && single !== null ? (single - 0.5) / lift : null,
    dropShareOfLift: usable && drop !== null ? drop / lift : null,
  };
  const reasons: string[] = [];
  if (single !== null && single >= limits.singleFeatureAuc) {
    reasons.push(`its AUC alone is ${fixed(single)} (≥ ${limits.singleFeatureAuc})`);
  }
  const { aloneShareOfLift: alone, dropShareOfLift: dropped } = evidence;
  if (
    alone !== null &&
    dropped !== null &&
    alone >= limits.aloneShareOfLift - FLOAT_DUST &&
    dropped >= limits.dropShareOfLift - FLOAT_DUST
  ) {
    reasons.push(
      `alone it reaches AUC ${fixed(single!)}, ${share(alone)} of the quick model's lift over 0.5 (AUC ${fixed(modelAuc!)}), and without it the model loses ${fixed(drop!)}, ${share(dropped)} of that lift (thresholds ${share(limits.aloneShareOfLift)} and ${share(limits.dropShareOfLift)})`,
    );
  }
  if (reasons.length === 0) return null;
  return {
    column: column.name,
    kind: 'POSSIBLE_LEAKAGE',
    message: LEAKAGE_MESSAGE,
    reason: `${reasons.join('; ')}: a value filled in after the outcome looks like this`,
    evidence,
  };
}

/** Three decimals; −0.0004 reads 0.000, not −0.000. */
export function fixed(x: number): string {
  return (Math.round(x * 1000) / 1000 || 0).toFixed(3);
}

function share(x: number): string {
  return `${Math.round(x * 100)} %`;
}
