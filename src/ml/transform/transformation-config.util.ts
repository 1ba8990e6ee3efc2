import { compareCodeUnits } from '../common/code-unit-order.util';

export type NumericFill = 'MEDIAN' | 'MEAN' | 'ZERO';
export const NUMERIC_FILLS: readonly NumericFill[] = ['MEDIAN', 'MEAN', 'ZERO'];

/** How raw features become a model's input vector, as a tenant writes it (every field optional). */
export interface TransformationConfig {
  /** Raw features used; null/absent: every feature that is not TEXT. */
  readonly features?: readonly string[] | null;
  /** Removed from that set. */
  readonly exclude?: readonly string[];
  readonly numeric?: {
    readonly fill?: NumericFill;
    readonly missingIndicator?: boolean;
    /** Features taken through sign(x)·log1p(|x|) first: counts and durations with long tails. */
    readonly log1p?: readonly string[];
    readonly standardize?: boolean;
  };
  readonly categorical?: { readonly minFrequency?: number; readonly maxLevels?: number };
}

/** Every field filled in, lists de-duplicated and sorted: equal configs serialise equally. */
export interface NormalizedTransformation {
  features: string[] | null;
  exclude: string[];
  numeric: { fill: NumericFill; missingIndicator: boolean; log1p: string[]; standardize: boolean };
  categorical: { minFrequency: number; maxLevels: number };
}

// Frozen all the way down: it is shared, and a caller pushing into its lists would change everyone's.
export const DEFAULT_TRANSFORMATION: NormalizedTransformation = Object.freeze({
  features: null,
  exclude: Object.freeze([]) as unknown as string[],
  numeric: Object.freeze({
    fill: 'MEDIAN' as const,
    missingIndicator: true,
    log1p: Object.freeze([]) as unknown as string[],
    standardize: true,
  }),
  categorical: Object.freeze({ minFrequency: 5, maxLevels: 50 }),
});

/**
 * Defaults filled in and lists canonical. Values are taken as given, not corrected: a bad one
 * (`minFrequency: 0`) is for `validateTransformation` to report, not for this to hide.
 */
export function normalizeTransformation(
  config?: TransformationConfig | null,
): NormalizedTransformation {
  const defaults = DEFAULT_TRANSFORMATION;
  const numeric = config?.numeric;
  const categorical = config?.categorical;
  // Built field by field in one order, so JSON.stringify of two equal configs is the same text.
  return {
    features: config?.features == null ? null : uniqueSorted(config.features),
    exclude: uniqueSorted(config?.exclude ?? []),
    numeric: {
      fill: numeric?.fill ?? defaults.numeric.fill,
      missingIndicator: numeric?.missingIndicator ?? defaults.numeric.missingIndicator,
      log1p: uniqueSorted(numeric?.log1p ?? []),
      standardize: numeric?.standardize ?? defaults.numeric.standardize,
    },
    categorical: {
      minFrequency: categorical?.minFrequency ?? defaults.categorical.minFrequency,
      maxLevels: categorical?.maxLevels ?? defaults.categorical.maxLevels,
    },
  };
}

function uniqueSorted(names: readonly string[]): string[] {
  return [...new Set(names)].sort(compareCodeUnits);
}
