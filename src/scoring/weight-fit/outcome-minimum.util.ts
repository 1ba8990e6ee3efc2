/**
 * How many outcomes a weight fit needs. Below either minimum the fit is not run: a held-out split
 * of fewer outcomes has too few of one class for its AUC to mean anything (with 10 of a class,
 * the held-out fifth holds 2), and three weights plus a scale and an intercept fitted on fewer
 * than ~40 training outcomes would follow the noise.
 */
export const MIN_OUTCOMES = 50;
export const MIN_PER_CLASS = 10;

export interface OutcomeCounts {
  readonly outcomes: number;
  readonly converted: number;
  readonly lost: number;
}

export interface NotEnoughData {
  readonly status: 'NOT_ENOUGH_DATA';
  readonly have: OutcomeCounts;
  /** How many more outcomes in all, and at least how many of them converted and lost. */
  readonly needed: OutcomeCounts;
  readonly minimum: { readonly outcomes: number; readonly perClass: number };
  readonly message: string;
}

/** The outcomes still needed before a fit, or null when there are enough. */
export function missingOutcomes(have: OutcomeCounts): NotEnoughData | null {
  const converted = Math.max(MIN_PER_CLASS - have.converted, 0);
  const lost = Math.max(MIN_PER_CLASS - have.lost, 0);
  const outcomes = Math.max(MIN_OUTCOMES - have.outcomes, converted + lost);
  if (outcomes === 0) return null;
  const classes = [
    converted > 0 ? `${converted} converted` : null,
    lost > 0 ? `${lost} lost` : null,
  ].filter((part): part is string => part !== null);
  const among = classes.length > 0 ? `, of which at least ${classes.join(' and ')}` : '';
  return {
    status: 'NOT_ENOUGH_DATA',
    have,
    needed: { outcomes, converted, lost },
    minimum: { outcomes: MIN_OUTCOMES, perClass: MIN_PER_CLASS },
    message:
      `Not enough outcomes to learn weights from: ${plural(have.outcomes, 'outcome')} ` +
      `(${have.converted} converted, ${have.lost} lost); ${plural(outcomes, 'more outcome')} ` +
      `needed${among}. A fit needs ${MIN_OUTCOMES} outcomes with ${MIN_PER_CLASS} of each class.`,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
