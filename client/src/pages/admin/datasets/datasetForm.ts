import type {
  CategoricalTransformationInput,
  CreateDatasetVersionInput,
  DatasetFilterInput,
  NumericFill,
  NumericTransformationInput,
  TransformationInput,
} from '../../../gql/graphql';

/** The create form as typed: every field a string or a flag, checked by `toCreateInput`. */
export interface DatasetFormState {
  name: string;
  /** '' : the tenant's latest version. */
  parentId: string;
  /** yyyy-mm-dd, '' for none. */
  outcomeFrom: string;
  outcomeTo: string;
  /** Comma-separated feature names. */
  exclude: string;
  log1p: string;
  /** '' : the default (MEDIAN). */
  fill: '' | NumericFill;
  missingIndicator: boolean;
  standardize: boolean;
  minFrequency: string;
  maxLevels: string;
}

export const EMPTY_DATASET_FORM: DatasetFormState = {
  name: '',
  parentId: '',
  outcomeFrom: '',
  outcomeTo: '',
  exclude: '',
  log1p: '',
  fill: '',
  missingIndicator: true,
  standardize: true,
  minFrequency: '',
  maxLevels: '',
};

export type DatasetFormErrors = Partial<Record<keyof DatasetFormState, string>>;

export type DatasetFormResult =
  { ok: true; input: CreateDatasetVersionInput } | { ok: false; errors: DatasetFormErrors };

function names(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An integer in [min, max] typed as text; undefined when blank, null when bad. */
function optionalInt(text: string, min: number, max: number): number | undefined | null {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/** yyyy-mm-dd at 00:00 UTC as ISO, or null when not a date. */
function dayStart(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The form checked as the API checks it (name 1–200 characters, dates in order, integer ranges of
 * the transformation), and turned into the mutation's input with only what the user set:
 * everything left at its default is left out, so the API's defaults apply.
 */
export function toCreateInput(form: DatasetFormState): DatasetFormResult {
  const errors: DatasetFormErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Enter a name.';
  else if (name.length > 200) errors.name = 'At most 200 characters.';

  const from = form.outcomeFrom ? dayStart(form.outcomeFrom) : undefined;
  const to = form.outcomeTo ? dayStart(form.outcomeTo) : undefined;
  if (from === null) errors.outcomeFrom = 'Enter a date.';
  if (to === null) errors.outcomeTo = 'Enter a date.';
  if (from && to && Date.parse(from) >= Date.parse(to))
    errors.outcomeTo = 'Must be after the start date.';

  const minFrequency = optionalInt(form.minFrequency, 1, 1e9);
  if (minFrequency === null) errors.minFrequency = 'A whole number, 1 or more.';
  const maxLevels = optionalInt(form.maxLevels, 1, 1000);
  if (maxLevels === null) errors.maxLevels = 'A whole number from 1 to 1000.';

  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const input: CreateDatasetVersionInput = { name };
  if (form.parentId) input.parentId = form.parentId;
  if (from || to) {
    const filter: DatasetFilterInput = {};
    if (from) filter.outcomeFrom = from;
    if (to) filter.outcomeTo = to;
    input.filter = filter;
  }

  const exclude = names(form.exclude);
  const log1p = names(form.log1p);
  const numeric: NumericTransformationInput = {};
  if (form.fill) numeric.fill = form.fill;
  if (!form.missingIndicator) numeric.missingIndicator = false;
  if (!form.standardize) numeric.standardize = false;
  if (log1p.length > 0) numeric.log1p = log1p;
  const categorical: CategoricalTransformationInput = {};
  if (minFrequency !== undefined) categorical.minFrequency = minFrequency;
  if (maxLevels !== undefined) categorical.maxLevels = maxLevels;

  const transformation: TransformationInput = {};
  if (exclude.length > 0) transformation.exclude = exclude;
  if (Object.keys(numeric).length > 0) transformation.numeric = numeric;
  if (Object.keys(categorical).length > 0) transformation.categorical = categorical;
  if (Object.keys(transformation).length > 0) input.transformation = transformation;
  return { ok: true, input };
}
