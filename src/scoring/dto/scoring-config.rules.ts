import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Rules across the fields of one scoring-config input object, as class-validator decorators so a
 * bad update reports every problem in one answer with the field-level ones.
 */

const FEATURES = ['emailOpens', 'websiteVisits', 'timeSpent'] as const;
type Features = Partial<Record<(typeof FEATURES)[number], unknown>>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object';

/** Weights must not all be 0 (each is checked ≥ 0 on its own). */
export function HasPositiveSum(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasPositiveSum',
      validator: {
        validate: (value: unknown) => {
          if (!isObject(value)) return true;
          const numbers = FEATURES.map((key) => (value as Features)[key]);
          // Non-numbers are reported by the fields' own rules.
          if (numbers.some((n) => typeof n !== 'number')) return true;
          return (numbers as number[]).reduce((sum, n) => sum + n, 0) > 0;
        },
        defaultMessage: () => 'weights must have a positive sum',
      },
    },
    options,
  );
}

/** Every cap greater than 0: a cap of 0 would divide by zero. */
export function AllPositive(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'allPositive',
      validator: {
        validate: (value: unknown) =>
          !isObject(value) ||
          FEATURES.every((key) => {
            const n = (value as Features)[key];
            return typeof n !== 'number' || n > 0;
          }),
        defaultMessage: (args) => {
          const value = (args?.value ?? {}) as Features;
          const bad = FEATURES.filter((key) => typeof value[key] === 'number' && !(value[key] > 0));
          return `caps must be greater than 0 (${bad.join(', ')})`;
        },
      },
    },
    options,
  );
}

/** The warm threshold below the hot one. */
export function WarmBelowHot(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'warmBelowHot',
      validator: {
        validate: (value: unknown) => {
          if (!isObject(value)) return true;
          const { warm, hot } = value;
          if (typeof warm !== 'number' || typeof hot !== 'number') return true;
          return warm < hot;
        },
        defaultMessage: () => 'the warm threshold must be below the hot threshold',
      },
    },
    options,
  );
}
