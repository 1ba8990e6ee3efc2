/**
 * Pure helpers of `npm run bench:setup` (run-setup.ts): the GraphQL documents of the guided model
 * setup and of training, the shapes they answer, the import mapping that keeps `duration`, the
 * trainings compared, and the Markdown the run prints.
 */
import type { BankImportMapping } from './data.util';
import { fixed, markdownTable } from './report.util';

// ---------------------------------------------------------------------------------------------
// GraphQL.

const TRANSFORMATION_FIELDS =
  'features exclude numeric { fill log1p missingIndicator standardize } categorical { minFrequency maxLevels }';
const FLAG_FIELDS =
  'column kind message reason evidence { singleFeatureAuc quickModelAuc aloneShareOfLift dropColumnImportance dropShareOfLift }';
const RECOMMENDATION_FIELDS = `source transformation { ${TRANSFORMATION_FIELDS} } included { name role reason } excluded { name role reason } transformationChoices { field value reason } model { type params reason choices { field value reason } } notes`;

export const PROFILE_QUERY = `query($versionId: ID!) { datasetProfile(versionId: $versionId) { versionId status queued error durationMs requestedAt finishedAt flags { ${FLAG_FIELDS} } profile { rows positives sampleRows sampled seed notes split { method reason trainRows testRows } quickModel { type auc features } columns { name kind role roleReason missingShare distinct distinctCapped numeric { min median max skewness } singleFeatureAuc aucMethod orientation dropColumnImportance } } } }`;

export const RECOMMEND_QUERY = `query($versionId: ID!) { recommendSetup(versionId: $versionId) { versionId status flags { column kind } deterministic { ${RECOMMENDATION_FIELDS} } ai { ${RECOMMENDATION_FIELDS} } aiModel aiUnavailableReason } }`;

export const APPLY_MUTATION = `mutation($versionId: ID!, $input: ApplySetupInput) { applySetup(versionId: $versionId, input: $input) { versionId source modelType params seed keptFlagged trainInput transformation { ${TRANSFORMATION_FIELDS} } } }`;

export const TRAIN_MUTATION =
  'mutation($input: TrainModelInput!) { trainModel(input: $input) { id status } }';
export const JOB_QUERY =
  'query($id: ID!) { trainingJob(id: $id) { status stage createdAt startedAt finishedAt modelId failure } }';
export const MODEL_QUERY = `query($id: ID!) { mlModel(id: $id) { id version type status params seed notes metrics { auc prAuc logLoss brier accuracy precision recall f1 liftTopDecile threshold rows positives negatives } split { method reason trainRows testRows } featureImportance { feature importance } transformation { ${TRANSFORMATION_FIELDS} } } }`;

// ---------------------------------------------------------------------------------------------
// What the API answers.

export interface TransformationView {
  features: string[] | null;
  exclude: string[];
  numeric: { fill: string; log1p: string[]; missingIndicator: boolean; standardize: boolean };
  categorical: { minFrequency: number; maxLevels: number };
}

export interface FlagView {
  column: string;
  kind: string;
  message: string;
  reason: string;
  evidence: {
    singleFeatureAuc: number | null;
    quickModelAuc: number | null;
    aloneShareOfLift: number | null;
    dropColumnImportance: number | null;
    dropShareOfLift: number | null;
  } | null;
}

export interface ColumnView {
  name: string;
  kind: string;
  role: string;
  roleReason: string;
  missingShare: number;
  distinct: number;
  distinctCapped: boolean;
  numeric: { min: number; median: number; max: number; skewness: number } | null;
  singleFeatureAuc: number | null;
  aucMethod: string | null;
  orientation: string | null;
  dropColumnImportance: number | null;
}

export interface ProfileView {
  versionId: string;
  status: 'PENDING' | 'RUNNING' | 'READY' | 'FAILED';
  queued: boolean;
  error: string | null;
  durationMs: number | null;
  requestedAt: string;
  finishedAt: string | null;
  flags: FlagView[];
  profile: {
    rows: number;
    positives: number;
    sampleRows: number;
    sampled: boolean;
    seed: number;
    notes: string[];
    split: { method: string; reason: string; trainRows: number; testRows: number } | null;
    quickModel: { type: string; auc: number | null; features: string[] };
    columns: ColumnView[];
  } | null;
}

export interface DecisionView {
  name: string;
  role: string;
  reason: string;
}

export interface ChoiceView {
  field: string;
  value: string;
  reason: string;
}

export interface RecommendationView {
  source: string;
  transformation: TransformationView | null;
  included: DecisionView[];
  excluded: DecisionView[];
  transformationChoices: ChoiceView[];
  model: {
    type: string;
    params: Record<string, unknown>;
    reason: string;
    choices: ChoiceView[];
  } | null;
  notes: string[];
}

export interface RecommendationsView {
  versionId: string;
  status: string;
  flags: { column: string; kind: string }[];
  deterministic: RecommendationView | null;
  ai: RecommendationView | null;
  aiModel: string | null;
  aiUnavailableReason: string | null;
}

export interface AppliedView {
  versionId: string;
  source: string;
  modelType: string;
  params: Record<string, unknown>;
  seed: number;
  keptFlagged: string[];
  trainInput: Record<string, unknown>;
  transformation: TransformationView;
}

export interface JobView {
  status: string;
  stage: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  modelId: string | null;
  failure: string | null;
}

export interface ModelMetricsView {
  auc: number | null;
  prAuc: number;
  logLoss: number;
  brier: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  liftTopDecile: number;
  threshold: number;
  rows: number;
  positives: number;
  negatives: number;
}

export interface ModelView {
  id: string;
  version: number;
  type: string;
  status: string;
  params: Record<string, unknown>;
  seed: number | null;
  notes: string[];
  metrics: ModelMetricsView | null;
  split: { method: string; reason: string; trainRows: number; testRows: number } | null;
  featureImportance: { feature: string; importance: number }[];
  transformation: TransformationView | null;
}

// ---------------------------------------------------------------------------------------------
// The import and the trainings.

/** The bank file's column whose value is only known after the call, hence after the outcome. */
export const LEAK_COLUMN = 'duration';

/**
 * The bench's mapping with every column but the outcome as an attribute, `duration` included
 * (`bankImportMapping` leaves it out): the profile is to find it.
 */
export function mappingWithEveryColumn(
  mapping: BankImportMapping,
  header: readonly string[],
): BankImportMapping {
  const left = new Set([mapping.outcome.column, mapping.outcome.at]);
  return { ...mapping, attributes: header.filter((column) => !left.has(column)) };
}

export interface TrainingSpec {
  readonly key: string;
  readonly label: string;
  /** trainModel's input as sent. */
  readonly input: Record<string, unknown>;
  /** The row every other is compared with. */
  readonly baseline?: boolean;
}

/**
 * The trainings compared, on one version and one seed: the applied recommendation as it is; every
 * column minus `duration` (the version's default transformation with `exclude`, default params)
 * with the recommended model type, and with logistic regression (the dashboard's default type,
 * trainModel has none) when the recommendation is another; and, for reference, every column with
 * `duration`, the same two types.
 */
export function trainingSpecs({
  versionId,
  seed,
  trainInput,
  recommendedType,
  linearTrainInput,
}: {
  versionId: string;
  seed: number;
  trainInput: Record<string, unknown>;
  recommendedType: string;
  /** applySetup with `modelType: LOGISTIC_REGRESSION`, when the recommendation is another type. */
  linearTrainInput?: Record<string, unknown>;
}): TrainingSpec[] {
  const types = [...new Set([recommendedType, 'LOGISTIC_REGRESSION'])];
  const short = (type: string) => typeLabel(type);
  const withoutLeak = types.map((modelType, i) => ({
    key: `minus-${LEAK_COLUMN}-${modelType.toLowerCase()}`,
    label: `every column minus \`${LEAK_COLUMN}\`, ${short(modelType)} defaults${modelType === 'LOGISTIC_REGRESSION' ? ' (the dashboard’s default type)' : ''}`,
    input: {
      datasetVersionId: versionId,
      modelType,
      seed,
      transformation: { exclude: [LEAK_COLUMN] },
    },
    ...(i === 0 ? { baseline: true } : {}),
  }));
  const withLeak = types.map((modelType) => ({
    key: `with-${LEAK_COLUMN}-${modelType.toLowerCase()}`,
    label: `every column WITH \`${LEAK_COLUMN}\` (reference: the leak), ${short(modelType)} defaults`,
    input: { datasetVersionId: versionId, modelType, seed },
  }));
  return [
    {
      key: 'recommended',
      label: `the deterministic recommendation (applySetup → trainInput), ${short(recommendedType)}`,
      input: trainInput,
    },
    ...withoutLeak,
    ...(linearTrainInput
      ? [
          {
            key: 'recommended-columns-logistic_regression',
            label:
              'the recommendation’s columns and transformation with logistic regression (applySetup with modelType LOGISTIC_REGRESSION)',
            input: linearTrainInput,
          },
        ]
      : []),
    ...withLeak,
  ];
}

export function typeLabel(type: string): string {
  return (
    {
      GRADIENT_BOOSTING: 'gradient boosting',
      LOGISTIC_REGRESSION: 'logistic regression',
      NAIVE_BAYES: 'naive Bayes',
    }[type] ?? type
  );
}

// ---------------------------------------------------------------------------------------------
// What the run prints.

const sign = (value: number | null, digits: number): string =>
  value === null || Number.isNaN(value)
    ? '–'
    : `${value >= 0 ? '+' : '−'}${fixed(Math.abs(value), digits)}`;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function flagsTable(flags: readonly FlagView[]): string {
  if (flags.length === 0) return '(no flags)';
  return markdownTable(
    [
      'column',
      'kind',
      'message',
      'AUC alone',
      'quick model AUC',
      'share of lift alone',
      'AUC lost without it',
      'share of lift lost',
    ],
    flags.map((flag) => [
      `\`${flag.column}\``,
      flag.kind,
      cell(flag.message),
      fixed(flag.evidence?.singleFeatureAuc, 4),
      fixed(flag.evidence?.quickModelAuc, 4),
      fixed(flag.evidence?.aloneShareOfLift, 3),
      fixed(flag.evidence?.dropColumnImportance, 4),
      fixed(flag.evidence?.dropShareOfLift, 3),
    ]),
  );
}

/** Every column of the profile, the label first, then the features by their AUC alone. */
export function columnsTable(columns: readonly ColumnView[], flags: readonly FlagView[]): string {
  const flagged = new Map(flags.map((flag) => [flag.column, flag.kind]));
  const ordered = [
    ...columns.filter((c) => c.kind === 'LABEL'),
    ...columns
      .filter((c) => c.kind !== 'LABEL')
      .sort((a, b) => (b.singleFeatureAuc ?? -1) - (a.singleFeatureAuc ?? -1)),
  ];
  return markdownTable(
    [
      'column',
      'role',
      'missing',
      'distinct',
      'AUC alone (method)',
      'drop-column importance',
      'flag',
    ],
    ordered.map((c) => [
      `\`${c.name}\``,
      c.role,
      `${fixed(c.missingShare * 100, 1)} %`,
      `${c.distinct}${c.distinctCapped ? '+' : ''}`,
      c.singleFeatureAuc === null
        ? '–'
        : `${fixed(c.singleFeatureAuc, 4)} (${c.aucMethod ?? '?'}${c.orientation === 'LOWER_IS_POSITIVE' ? ', lower is positive' : ''})`,
      sign(c.dropColumnImportance, 4),
      flagged.get(c.name) ?? '',
    ]),
  );
}

/** A recommendation as text: columns in and out with reasons, choices, the model. */
export function recommendationText(rec: RecommendationView): string {
  const lines: string[] = [`source: ${rec.source}`];
  lines.push(`included (${rec.included.length}):`);
  rec.included.forEach((d) => lines.push(`  + ${d.name} [${d.role}]: ${d.reason}`));
  lines.push(`excluded (${rec.excluded.length}):`);
  rec.excluded.forEach((d) => lines.push(`  - ${d.name} [${d.role}]: ${d.reason}`));
  if (rec.transformationChoices.length > 0) {
    lines.push('transformation choices:');
    rec.transformationChoices.forEach((c) =>
      lines.push(`  * ${c.field} = ${c.value}: ${c.reason}`),
    );
  }
  lines.push(`transformation: ${JSON.stringify(rec.transformation)}`);
  if (rec.model) {
    lines.push(`model: ${rec.model.type}: ${rec.model.reason}`);
    lines.push(`  params: ${JSON.stringify(rec.model.params)}`);
    rec.model.choices.forEach((c) => lines.push(`  * ${c.field} = ${c.value}: ${c.reason}`));
  } else lines.push('model: none');
  rec.notes.forEach((note) => lines.push(`note: ${note}`));
  return lines.join('\n');
}

export interface ComparedModel {
  key: string;
  label: string;
  baseline: boolean;
  modelType: string;
  modelId: string;
  /** Raw features the model was given: the transformation's `features` minus `exclude`. */
  columnsNote: string;
  metrics: ModelMetricsView;
  split: NonNullable<ModelView['split']>;
  seconds: number;
  workerSeconds: number | null;
}

export function comparisonTable(models: readonly ComparedModel[]): string {
  const baseline = models.find((m) => m.baseline);
  const base = baseline?.metrics.auc ?? null;
  return markdownTable(
    [
      'model (same version, seed and split)',
      'held-out AUC',
      `ΔAUC vs ${baseline ? `\`${baseline.key}\`` : '–'}`,
      'PR-AUC',
      'log loss',
      'Brier',
      'F1',
      'lift top decile',
      'test rows (positives)',
      'training s (worker s)',
    ],
    models.map((m) => [
      `${m.label}${m.baseline ? ' — baseline' : ''}`,
      fixed(m.metrics.auc, 4),
      m.baseline || base === null || m.metrics.auc === null ? '' : sign(m.metrics.auc - base, 4),
      fixed(m.metrics.prAuc, 4),
      fixed(m.metrics.logLoss, 4),
      fixed(m.metrics.brier, 4),
      fixed(m.metrics.f1, 4),
      fixed(m.metrics.liftTopDecile, 2),
      `${m.metrics.rows} (${m.metrics.positives})`,
      `${fixed(m.seconds, 2)} (${fixed(m.workerSeconds, 2)})`,
    ]),
  );
}

/** The raw columns a transformation keeps, told briefly. */
export function columnsNote(t: TransformationView | null, allFeatures: readonly string[]): string {
  if (!t) return 'the version’s transformation';
  const used = (t.features ?? allFeatures).filter((f) => !t.exclude.includes(f));
  const left = allFeatures.filter((f) => !used.includes(f));
  return `${used.length} columns${left.length > 0 ? `; left out: ${left.join(', ')}` : ''}${t.numeric.log1p.length > 0 ? `; log1p: ${t.numeric.log1p.join(', ')}` : ''}`;
}
