import { TrainedModelType } from '@/ml/models/trained-model';
import { ColumnRole } from '@/ml/setup/column-role.util';
import type { DatasetProfile } from '@/ml/setup/profile-dataset.util';
import type { SetupFlag } from '@/ml/setup/screen-leakage.util';
import { modelParams } from '@/ml/train/model-params.util';
import {
  DEFAULT_TRANSFORMATION,
  NormalizedTransformation,
  normalizeTransformation,
} from '@/ml/transform/transformation-config.util';

import type { SourcedRecommendation } from './advice/advised-recommendation.util';
import type { FieldProblem } from './model-setup.exception';

export interface SetupAdjustments {
  /** Columns the recommendation leaves out that the admin keeps (a flag overruled knowingly). */
  readonly keepColumns?: readonly string[];
  /** Columns the recommendation uses that the admin leaves out. */
  readonly excludeColumns?: readonly string[];
  readonly modelType?: TrainedModelType;
  /** The model type's params; absent: the recommendation's (for its type) or the defaults. */
  readonly params?: Record<string, unknown>;
}

export interface ChosenSetup {
  readonly transformation: NormalizedTransformation;
  readonly modelType: TrainedModelType;
  readonly params: Record<string, unknown>;
  readonly seed: number;
  /** Kept although the leakage screen flagged them. */
  readonly keptFlagged: string[];
}

export type ChooseSetupResult =
  { ok: true; value: ChosenSetup } | { ok: false; problems: FieldProblem[] };

/**
 * The setup to train with: the recommendation with the admin's changes, every bad field named
 * (`input.keepColumns.0: unknown column "x"`). Pure; the caller still validates the
 * transformation against the version's feature statistics, as trainModel does.
 */
export function chooseSetup({
  profile,
  flags,
  base,
  adjustments,
}: {
  profile: DatasetProfile;
  flags: readonly SetupFlag[];
  base: SourcedRecommendation;
  adjustments: SetupAdjustments;
}): ChooseSetupResult {
  const roles = new Map(
    profile.columns
      .filter((column) => column.kind === 'FEATURE')
      .map((column) => [column.name, column.role]),
  );
  const keep = adjustments.keepColumns ?? [];
  const drop = adjustments.excludeColumns ?? [];
  const problems: FieldProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, messages: [message] });
  keep.forEach((name, i) => {
    const role = roles.get(name);
    if (role === undefined) report(`input.keepColumns.${i}`, unknownColumn(name));
    else if (role === ColumnRole.LABEL)
      report(`input.keepColumns.${i}`, `${JSON.stringify(name)} is a copy of the label`);
    else if (drop.includes(name))
      report(`input.keepColumns.${i}`, `${JSON.stringify(name)} is also in excludeColumns`);
  });
  drop.forEach((name, i) => {
    if (!roles.has(name)) report(`input.excludeColumns.${i}`, unknownColumn(name));
  });

  const config = base.transformation ?? DEFAULT_TRANSFORMATION;
  const features = new Set(base.transformation?.features ?? []);
  const exclude = new Set([...config.exclude, ...base.excluded.map((feature) => feature.name)]);
  for (const name of keep) {
    features.add(name);
    exclude.delete(name);
  }
  for (const name of drop) {
    features.delete(name);
    exclude.add(name);
  }
  if (problems.length === 0 && features.size === 0)
    report('input', 'no column is left to train on: keep at least one with keepColumns');

  const modelType = adjustments.modelType ?? base.model?.type ?? 'LOGISTIC_REGRESSION';
  const fromBase = base.model?.type === modelType ? base.model.params : {};
  const checked = modelParams(modelType, adjustments.params ?? fromBase);
  for (const problem of checked.problems) report(`input.params.${problem.path}`, problem.message);
  if (problems.length > 0) return { ok: false, problems };

  const flagged = new Set(
    flags.filter((flag) => flag.kind === 'POSSIBLE_LEAKAGE').map((flag) => flag.column),
  );
  return {
    ok: true,
    value: {
      transformation: normalizeTransformation({
        ...config,
        features: [...features],
        exclude: [...exclude],
        numeric: {
          ...config.numeric,
          log1p: config.numeric.log1p.filter((name) => features.has(name)),
        },
      }),
      modelType,
      params: checked.params,
      seed: profile.sample.seed,
      keptFlagged: keep.filter((name) => flagged.has(name)),
    },
  };
}

function unknownColumn(name: string): string {
  return `unknown column ${JSON.stringify(name)}: not in the dataset version`;
}
