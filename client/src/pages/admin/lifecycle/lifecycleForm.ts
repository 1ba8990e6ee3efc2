import type {
  AdminLifecycleFragment,
  TrainableModelType,
  UpdateModelLifecycleInput,
} from '../../../gql/graphql';
import { isTrainableType, PARAM_SPECS, paramsToTexts, parseParams } from '../models/paramSpecs';

/** The settings form as typed. The Brier allowance is shown in percent (the API takes a fraction). */
export interface LifecycleFormState {
  retrainingEnabled: boolean;
  cadenceDays: string;
  modelType: TrainableModelType;
  params: Record<string, string>;
  maxAucDrop: string;
  maxBrierIncreasePercent: string;
  maxChampionAgeDays: string;
  driftThreshold: string;
  retrainOnDrift: boolean;
  minConverted: string;
  minLost: string;
}

export type LifecycleFormErrors = Record<string, string>;

/** Drops float noise: 0.29 × 100 is 28.999999999999996. */
function tidy(value: number): string {
  return String(Number(value.toPrecision(12)));
}

export function formFromLifecycle(l: AdminLifecycleFragment): LifecycleFormState {
  const modelType: TrainableModelType = isTrainableType(l.modelType)
    ? l.modelType
    : 'GRADIENT_BOOSTING';
  return {
    retrainingEnabled: l.retrainingEnabled,
    cadenceDays: String(l.cadenceDays),
    modelType,
    params: paramsToTexts(modelType, l.params),
    maxAucDrop: tidy(l.promotion.maxAucDrop),
    maxBrierIncreasePercent: tidy(l.promotion.maxBrierIncrease * 100),
    maxChampionAgeDays: String(l.promotion.maxChampionAgeDays),
    driftThreshold: tidy(l.driftThreshold),
    retrainOnDrift: l.retrainOnDrift,
    minConverted: String(l.minConverted),
    minLost: String(l.minLost),
  };
}

function number(
  errors: LifecycleFormErrors,
  key: string,
  text: string,
  min: number,
  max: number,
  integer: boolean,
  message: string,
): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const ok = Number.isFinite(value) && value >= min && value <= max;
  if (!ok || (integer && !Number.isInteger(value))) errors[key] = message;
  return value;
}

export type LifecycleFormResult =
  { ok: true; input: UpdateModelLifecycleInput } | { ok: false; errors: LifecycleFormErrors };

/**
 * Checks the form with the API's ranges and returns only what changed from `current` (the API
 * audits the fields sent). A new model type always carries its params (blank: its defaults).
 */
export function lifecycleChanges(
  current: AdminLifecycleFragment,
  form: LifecycleFormState,
): LifecycleFormResult {
  const errors: LifecycleFormErrors = {};
  const cadenceDays = number(
    errors,
    'cadenceDays',
    form.cadenceDays,
    1,
    90,
    true,
    'A whole number of days from 1 to 90.',
  );
  const maxAucDrop = number(
    errors,
    'maxAucDrop',
    form.maxAucDrop,
    0,
    0.1,
    false,
    'A number from 0 to 0.1.',
  );
  const brierPercent = number(
    errors,
    'maxBrierIncreasePercent',
    form.maxBrierIncreasePercent,
    0,
    100,
    false,
    'A percentage from 0 to 100.',
  );
  const maxChampionAgeDays = number(
    errors,
    'maxChampionAgeDays',
    form.maxChampionAgeDays,
    1,
    3650,
    true,
    'A whole number of days from 1 to 3650.',
  );
  const driftThreshold = number(
    errors,
    'driftThreshold',
    form.driftThreshold,
    0.01,
    5,
    false,
    'A number from 0.01 to 5.',
  );
  const minConverted = number(
    errors,
    'minConverted',
    form.minConverted,
    1,
    1_000_000,
    true,
    'A whole number, 1 or more.',
  );
  const minLost = number(
    errors,
    'minLost',
    form.minLost,
    1,
    1_000_000,
    true,
    'A whole number, 1 or more.',
  );
  const parsed = parseParams(form.modelType, form.params);
  for (const [name, message] of Object.entries(parsed.errors)) errors[`params.${name}`] = message;
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const input: UpdateModelLifecycleInput = {};
  if (form.retrainingEnabled !== current.retrainingEnabled)
    input.retrainingEnabled = form.retrainingEnabled;
  if (cadenceDays !== current.cadenceDays) input.cadenceDays = cadenceDays;
  const typeChanged = form.modelType !== current.modelType;
  if (typeChanged) input.modelType = form.modelType;
  if (typeChanged || paramsDiffer(form.modelType, parsed.params, current.params))
    input.params = parsed.params;
  const maxBrierIncrease = Number((brierPercent / 100).toPrecision(12));
  const p = current.promotion;
  if (
    maxAucDrop !== p.maxAucDrop ||
    maxBrierIncrease !== p.maxBrierIncrease ||
    maxChampionAgeDays !== p.maxChampionAgeDays
  )
    input.promotion = { maxAucDrop, maxBrierIncrease, maxChampionAgeDays };
  if (driftThreshold !== current.driftThreshold) input.driftThreshold = driftThreshold;
  if (form.retrainOnDrift !== current.retrainOnDrift) input.retrainOnDrift = form.retrainOnDrift;
  if (minConverted !== current.minConverted) input.minConverted = minConverted;
  if (minLost !== current.minLost) input.minLost = minLost;
  return { ok: true, input };
}

/** Whether the params asked for (blank: default) differ from the stored ones (defaults filled). */
function paramsDiffer(
  modelType: TrainableModelType,
  asked: Record<string, number | string>,
  stored: Record<string, unknown>,
): boolean {
  return PARAM_SPECS[modelType].some((spec) => {
    const want = asked[spec.name] ?? spec.default;
    const have = stored[spec.name] ?? spec.default;
    return want !== have;
  });
}
