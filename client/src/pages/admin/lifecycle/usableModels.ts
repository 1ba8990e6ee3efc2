import type { MlModelStatus } from '../../../gql/graphql';
import { modelName } from '../models/modelLabels';

export interface ModelOption {
  id: string;
  type: string;
  version: number;
  status: MlModelStatus;
}

/** A/B tests take READY, DEPLOYED or RETIRED models (the weighted sum included). */
export function abTestCandidates(models: readonly ModelOption[]): ModelOption[] {
  return models.filter(
    (m) => m.status === 'READY' || m.status === 'DEPLOYED' || m.status === 'RETIRED',
  );
}

/** Shadow mode takes a trained model that is READY or RETIRED (not the one deployed). */
export function shadowCandidates(models: readonly ModelOption[]): ModelOption[] {
  return models.filter(
    (m) => m.type !== 'WEIGHTED_SUM' && (m.status === 'READY' || m.status === 'RETIRED'),
  );
}

/** "Gradient boosting v3 (deployed)" for pickers. */
export function optionLabel(m: ModelOption): string {
  return `${modelName(m)} (${m.status.toLowerCase()})`;
}

/** A model's name by id, or the id when the list does not hold it. */
export function namer(models: readonly ModelOption[]): (id: string) => string {
  const byId = new Map(models.map((m) => [m.id, modelName(m)]));
  return (id) => byId.get(id) ?? id;
}
