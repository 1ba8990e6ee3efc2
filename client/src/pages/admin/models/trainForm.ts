import type { TrainableModelType, TrainModelInput } from '../../../gql/graphql';
import { parseParams } from './paramSpecs';

export interface TrainFormState {
  modelType: TrainableModelType | '';
  datasetVersionId: string;
  seed: string;
  /** Text per parameter name; blank keeps the API's default. */
  params: Record<string, string>;
}

export const DEFAULT_SEED = '42';

/** Errors by field: modelType, datasetVersionId, seed, and `params.<name>`. */
export type TrainFormErrors = Record<string, string>;

export type TrainFormResult =
  { ok: true; input: TrainModelInput } | { ok: false; errors: TrainFormErrors };

const MAX_SEED = 2_147_483_647;

/** Checks the form as the API would and builds trainModel's input (params only when set). */
export function toTrainInput(form: TrainFormState): TrainFormResult {
  const errors: TrainFormErrors = {};
  if (!form.modelType) errors.modelType = 'Choose a model type.';
  if (!form.datasetVersionId) errors.datasetVersionId = 'Choose a dataset version.';
  const seedText = form.seed.trim() === '' ? DEFAULT_SEED : form.seed.trim();
  const seed = Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    errors.seed = `Must be a whole number from 0 to ${MAX_SEED}.`;

  let params: Record<string, number | string> = {};
  if (form.modelType) {
    const parsed = parseParams(form.modelType, form.params);
    params = parsed.params;
    for (const [name, message] of Object.entries(parsed.errors)) errors[`params.${name}`] = message;
  }
  if (Object.keys(errors).length > 0 || !form.modelType) return { ok: false, errors };

  const input: TrainModelInput = {
    modelType: form.modelType,
    datasetVersionId: form.datasetVersionId,
    seed,
  };
  if (Object.keys(params).length > 0) input.params = params;
  return { ok: true, input };
}
