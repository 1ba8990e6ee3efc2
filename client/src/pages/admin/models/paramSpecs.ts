import type { TrainableModelType } from '../../../gql/graphql';

/**
 * The hyper-parameters trainModel takes per model type, with the API's ranges and defaults
 * (src/ml/models/*-params.util.ts): the form checks them before sending, the API checks again.
 */
interface SpecBase {
  name: string;
  label: string;
  help?: string;
}
export interface NumberSpec extends SpecBase {
  kind: 'number';
  above?: number;
  atLeast?: number;
  atMost?: number;
  default: number;
}
export interface IntegerSpec extends SpecBase {
  kind: 'integer';
  min?: number;
  max?: number;
  /** Null: no limit (maxDepth). */
  default: number | null;
}
export interface EnumSpec extends SpecBase {
  kind: 'enum';
  values: readonly string[];
  default: string;
}
export type ParamSpec = NumberSpec | IntegerSpec | EnumSpec;

export const PARAM_SPECS: Record<TrainableModelType, readonly ParamSpec[]> = {
  LOGISTIC_REGRESSION: [
    { name: 'l2', label: 'L2 penalty', kind: 'number', atLeast: 0, default: 1 },
    {
      name: 'maxIterations',
      label: 'Max iterations',
      kind: 'integer',
      min: 1,
      max: 1000,
      default: 100,
    },
    { name: 'tolerance', label: 'Tolerance', kind: 'number', above: 0, default: 1e-6 },
    {
      name: 'classWeight',
      label: 'Class weight',
      kind: 'enum',
      values: ['NONE', 'BALANCED'],
      default: 'NONE',
    },
    {
      name: 'solver',
      label: 'Solver',
      kind: 'enum',
      values: ['AUTO', 'NEWTON', 'LBFGS'],
      default: 'AUTO',
    },
  ],
  GRADIENT_BOOSTING: [
    {
      name: 'learningRate',
      label: 'Learning rate',
      kind: 'number',
      above: 0,
      atMost: 1,
      default: 0.1,
    },
    {
      name: 'maxIterations',
      label: 'Max iterations (trees)',
      kind: 'integer',
      min: 1,
      max: 5000,
      default: 100,
    },
    {
      name: 'maxLeafNodes',
      label: 'Max leaf nodes',
      kind: 'integer',
      min: 2,
      max: 4096,
      default: 31,
    },
    {
      name: 'maxDepth',
      label: 'Max depth',
      kind: 'integer',
      min: 1,
      max: 64,
      default: null,
      help: 'Blank: no limit.',
    },
    { name: 'minSamplesLeaf', label: 'Min rows per leaf', kind: 'integer', min: 1, default: 20 },
    {
      name: 'l2Regularization',
      label: 'L2 regularization',
      kind: 'number',
      atLeast: 0,
      default: 0,
    },
    { name: 'maxBins', label: 'Max bins', kind: 'integer', min: 2, max: 255, default: 255 },
    {
      name: 'earlyStopping',
      label: 'Early stopping',
      kind: 'enum',
      values: ['AUTO', 'ON', 'OFF'],
      default: 'AUTO',
      help: 'AUTO: on above 10,000 rows.',
    },
    {
      name: 'validationFraction',
      label: 'Validation fraction',
      kind: 'number',
      above: 0,
      atMost: 0.5,
      default: 0.1,
    },
    {
      name: 'nIterNoChange',
      label: 'Iterations without improvement',
      kind: 'integer',
      min: 1,
      default: 10,
    },
    { name: 'tolerance', label: 'Tolerance', kind: 'number', atLeast: 0, default: 1e-7 },
    { name: 'seed', label: 'Validation split seed', kind: 'integer', default: 42 },
  ],
  NAIVE_BAYES: [
    {
      name: 'alpha',
      label: 'Smoothing (alpha)',
      kind: 'number',
      above: 0,
      atMost: 100,
      default: 1,
    },
    { name: 'bins', label: 'Bins', kind: 'integer', min: 2, max: 100, default: 10 },
  ],
};

/** "> 0 and ≤ 1", "1 to 5000": the allowed range in words. */
export function rangeText(spec: ParamSpec): string {
  if (spec.kind === 'enum') return spec.values.join(', ');
  if (spec.kind === 'integer') {
    if (spec.min !== undefined && spec.max !== undefined)
      return `a whole number from ${spec.min} to ${spec.max}`;
    if (spec.min !== undefined) return `a whole number ≥ ${spec.min}`;
    return 'a whole number';
  }
  const bounds: string[] = [];
  if (spec.above !== undefined) bounds.push(`> ${spec.above}`);
  if (spec.atLeast !== undefined) bounds.push(`≥ ${spec.atLeast}`);
  if (spec.atMost !== undefined) bounds.push(`≤ ${spec.atMost}`);
  return bounds.length > 0 ? `a number ${bounds.join(' and ')}` : 'a number';
}

export function defaultText(spec: ParamSpec): string {
  return spec.default === null ? 'none' : String(spec.default);
}

/** One field typed as text: undefined when blank (the default applies), else the value or an error. */
export function parseParam(
  spec: ParamSpec,
  text: string,
): { value?: number | string; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const invalid = { error: `Must be ${rangeText(spec)}.` };
  if (spec.kind === 'enum') return spec.values.includes(trimmed) ? { value: trimmed } : invalid;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return invalid;
  if (spec.kind === 'integer') {
    const ok =
      Number.isInteger(value) &&
      (spec.min === undefined || value >= spec.min) &&
      (spec.max === undefined || value <= spec.max);
    return ok ? { value } : invalid;
  }
  const ok =
    (spec.above === undefined || value > spec.above) &&
    (spec.atLeast === undefined || value >= spec.atLeast) &&
    (spec.atMost === undefined || value <= spec.atMost);
  return ok ? { value } : invalid;
}

/** The params object to send (only the fields set) and the errors by parameter name. */
export function parseParams(
  modelType: TrainableModelType,
  texts: Readonly<Record<string, string>>,
): { params: Record<string, number | string>; errors: Record<string, string> } {
  const params: Record<string, number | string> = {};
  const errors: Record<string, string> = {};
  for (const spec of PARAM_SPECS[modelType]) {
    const { value, error } = parseParam(spec, texts[spec.name] ?? '');
    if (error) errors[spec.name] = error;
    else if (value !== undefined) params[spec.name] = value;
  }
  return { params, errors };
}

/** Stored params (JSON) back to the form's text fields, for the type's known parameters. */
export function paramsToTexts(
  modelType: TrainableModelType,
  params: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const spec of PARAM_SPECS[modelType]) {
    const value = params[spec.name];
    if (typeof value === 'number' || typeof value === 'string') texts[spec.name] = String(value);
  }
  return texts;
}

export const TRAINABLE_TYPES: readonly TrainableModelType[] = [
  'LOGISTIC_REGRESSION',
  'GRADIENT_BOOSTING',
  'NAIVE_BAYES',
];

export function isTrainableType(value: string): value is TrainableModelType {
  return (TRAINABLE_TYPES as readonly string[]).includes(value);
}
