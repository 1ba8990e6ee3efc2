import { validateSync } from 'class-validator';

import { AllPositive, HasPositiveSum, WarmBelowHot } from './scoring-config.rules';

/** One field per rule, as UpdateScoringConfigInput uses them. */
class Input {
  @HasPositiveSum()
  weights?: unknown;

  @AllPositive()
  caps?: unknown;

  @WarmBelowHot()
  thresholds?: unknown;
}

/** The messages of the rules that refused `values`, by field. */
function problems(values: Partial<Input>): Record<string, string[]> {
  const input = Object.assign(new Input(), values);
  return Object.fromEntries(
    validateSync(input).map((error) => [error.property, Object.values(error.constraints ?? {})]),
  );
}

describe('weights must have a positive sum', () => {
  it('refuses weights that are all 0', () => {
    expect(problems({ weights: { emailOpens: 0, websiteVisits: 0, timeSpent: 0 } })).toEqual({
      weights: ['weights must have a positive sum'],
    });
  });

  it('accepts one positive weight among zeros', () => {
    expect(problems({ weights: { emailOpens: 0, websiteVisits: 0, timeSpent: 0.01 } })).toEqual({});
  });

  it('leaves a missing or non-number weight, or no object, to the fields’ own rules', () => {
    expect(problems({ weights: { emailOpens: 0, websiteVisits: 0 } })).toEqual({});
    expect(problems({ weights: { emailOpens: 0, websiteVisits: 0, timeSpent: '0' } })).toEqual({});
    expect(problems({ weights: null })).toEqual({});
    expect(problems({ weights: 'heavy' })).toEqual({});
  });
});

describe('caps must be greater than 0', () => {
  it('names every cap that is not, in the features’ order', () => {
    expect(problems({ caps: { emailOpens: 0, websiteVisits: 10, timeSpent: -5 } })).toEqual({
      caps: ['caps must be greater than 0 (emailOpens, timeSpent)'],
    });
  });

  it('accepts caps that are all above 0', () => {
    expect(problems({ caps: { emailOpens: 1, websiteVisits: 0.5, timeSpent: 600 } })).toEqual({});
  });

  it('leaves non-numbers and non-objects to the other rules', () => {
    expect(problems({ caps: { emailOpens: '0', websiteVisits: 10, timeSpent: 1 } })).toEqual({});
    expect(problems({ caps: null })).toEqual({});
    expect(problems({ caps: 7 })).toEqual({});
  });
});

describe('the warm threshold below the hot one', () => {
  it('refuses warm at or above hot', () => {
    const message = ['the warm threshold must be below the hot threshold'];
    expect(problems({ thresholds: { warm: 70, hot: 70 } })).toEqual({ thresholds: message });
    expect(problems({ thresholds: { warm: 80, hot: 40 } })).toEqual({ thresholds: message });
  });

  it('accepts warm below hot', () => {
    expect(problems({ thresholds: { warm: 39.99, hot: 40 } })).toEqual({});
  });

  it('leaves a missing or non-number threshold, or no object, to the fields’ own rules', () => {
    expect(problems({ thresholds: { hot: 40 } })).toEqual({});
    expect(problems({ thresholds: { warm: '50', hot: 40 } })).toEqual({});
    expect(problems({ thresholds: undefined })).toEqual({});
    expect(problems({ thresholds: [] })).toEqual({});
  });
});
