import { TrainedModelType } from '../models/trained-model';
import { modelParams } from '../train/model-params.util';
import { percent } from './column-role.util';
import { count, DatasetProfile } from './profile-dataset.util';
import { SetupChoice } from './recommend-transformation.util';

export interface ModelProposal {
  readonly type: TrainedModelType;
  /** Every field, defaults filled (`modelParams`): what the trainer will be given. */
  readonly params: Record<string, unknown>;
  readonly reason: string;
  readonly choices: readonly SetupChoice[];
}

/** Fewer rows of the rarer class than this: naive Bayes (a few counts per feature to estimate). */
export const NAIVE_BAYES_BELOW_MINORITY = 50;
/** Gradient boosting from this many rows of the rarer class and this many rows in all. */
export const BOOSTING_MIN_MINORITY = 500;
export const BOOSTING_MIN_ROWS = 5000;
/** Above this many rows the gradient-boosting trainer's AUTO early stopping is on. */
export const EARLY_STOPPING_ROWS = 10_000;

/**
 * The model type by how much there is to learn from, counted on the whole table: naive Bayes below
 * NAIVE_BAYES_BELOW_MINORITY rows of the rarer class, gradient boosting from BOOSTING_MIN_MINORITY
 * of them and BOOSTING_MIN_ROWS rows, logistic regression between. Params are the trainer's
 * defaults but for the few set on purpose, each with its reason.
 */
export function recommendModel(profile: DatasetProfile, categoricalLevels: number): ModelProposal {
  const { rows, positives } = profile;
  const negatives = rows - positives;
  const minority = Math.min(positives, negatives);
  const balance = `${count(positives)} positives in ${count(rows)} rows (${percent(rows === 0 ? 0 : positives / rows)})`;

  if (minority < NAIVE_BAYES_BELOW_MINORITY) {
    return finish('NAIVE_BAYES', {}, [], {
      reason: `${balance}: under ${NAIVE_BAYES_BELOW_MINORITY} of the rarer class, too few for anything with more parameters than a few counts per feature; naive Bayes needs only those`,
    });
  }

  const noClassWeight: SetupChoice = {
    field: 'classWeight',
    value: 'NONE',
    reason: `${balance}: class weights would not change the ranking (AUC) but would inflate every probability, and the score is 100 × probability`,
  };
  if (minority < BOOSTING_MIN_MINORITY || rows < BOOSTING_MIN_ROWS) {
    return finish('LOGISTIC_REGRESSION', { classWeight: 'NONE' }, [noClassWeight], {
      reason: `${balance}: under ${BOOSTING_MIN_MINORITY} of the rarer class or ${count(BOOSTING_MIN_ROWS)} rows, trees would fit noise; a regularized linear model is stable and each weight can be read`,
    });
  }

  const earlyStopping = rows > EARLY_STOPPING_ROWS ? 'ON' : 'OFF';
  const choices: SetupChoice[] = [
    {
      field: 'earlyStopping',
      value: earlyStopping,
      reason:
        earlyStopping === 'ON'
          ? `${count(rows)} rows: enough to hold out 10 % and stop adding trees when it stops improving`
          : `${count(rows)} rows: too few to spare a validation slice`,
    },
    {
      field: 'seed',
      value: profile.sample.seed,
      reason: "the profile's seed: the same proposal trains the same model",
    },
  ];
  const levels =
    categoricalLevels > 0 ? `, categorical features with up to ${categoricalLevels} levels` : '';
  return finish('GRADIENT_BOOSTING', { earlyStopping, seed: profile.sample.seed }, choices, {
    reason: `${balance}${levels}: enough of both classes for trees to learn thresholds and interactions a linear model cannot`,
  });
}

function finish(
  type: TrainedModelType,
  chosen: Record<string, unknown>,
  choices: SetupChoice[],
  { reason }: { reason: string },
): ModelProposal {
  // Every value chosen above is within its spec (the spec asserts it), so there are no problems.
  return { type, params: modelParams(type, chosen).params, reason, choices };
}
