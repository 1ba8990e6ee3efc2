import { paramsToTexts, parseParam, parseParams, PARAM_SPECS, rangeText } from './paramSpecs';

const spec = (type: keyof typeof PARAM_SPECS, name: string) =>
  PARAM_SPECS[type].find((s) => s.name === name)!;

describe('parseParam', () => {
  it('keeps the default when blank', () => {
    expect(parseParam(spec('GRADIENT_BOOSTING', 'learningRate'), '  ')).toEqual({});
  });

  it('checks number bounds as the API does', () => {
    const lr = spec('GRADIENT_BOOSTING', 'learningRate');
    expect(parseParam(lr, '0.05')).toEqual({ value: 0.05 });
    expect(parseParam(lr, '1')).toEqual({ value: 1 });
    expect(parseParam(lr, '0')).toEqual({ error: 'Must be a number > 0 and ≤ 1.' });
    expect(parseParam(lr, 'fast')).toEqual({ error: 'Must be a number > 0 and ≤ 1.' });
  });

  it('wants whole numbers in range for integers', () => {
    const trees = spec('GRADIENT_BOOSTING', 'maxIterations');
    expect(parseParam(trees, '200')).toEqual({ value: 200 });
    expect(parseParam(trees, '2.5').error).toBe('Must be a whole number from 1 to 5000.');
    expect(parseParam(trees, '5001').error).toBeDefined();
  });

  it('accepts only the listed values of an enum', () => {
    const weight = spec('LOGISTIC_REGRESSION', 'classWeight');
    expect(parseParam(weight, 'BALANCED')).toEqual({ value: 'BALANCED' });
    expect(parseParam(weight, 'balanced').error).toBe('Must be NONE, BALANCED.');
  });
});

describe('parseParams', () => {
  it('returns the set params and every error by name', () => {
    expect(parseParams('NAIVE_BAYES', { alpha: '0.5', bins: '1' })).toEqual({
      params: { alpha: 0.5 },
      errors: { bins: 'Must be a whole number from 2 to 100.' },
    });
  });

  it('ignores fields of another type', () => {
    expect(parseParams('NAIVE_BAYES', { learningRate: '5' })).toEqual({ params: {}, errors: {} });
  });
});

describe('paramsToTexts', () => {
  it('shows stored params as text, leaving nulls and unknown keys out', () => {
    expect(
      paramsToTexts('GRADIENT_BOOSTING', { learningRate: 0.1, maxDepth: null, other: 3 }),
    ).toEqual({ learningRate: '0.1' });
  });
});

describe('rangeText', () => {
  it('words a range', () => {
    expect(rangeText(spec('LOGISTIC_REGRESSION', 'l2'))).toBe('a number ≥ 0');
    expect(rangeText(spec('GRADIENT_BOOSTING', 'minSamplesLeaf'))).toBe('a whole number ≥ 1');
    expect(rangeText(spec('GRADIENT_BOOSTING', 'seed'))).toBe('a whole number');
  });
});
