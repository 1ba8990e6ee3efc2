import { DEFAULT_NAIVE_BAYES_PARAMS, naiveBayesParams } from './naive-bayes-params.util';

describe('naiveBayesParams', () => {
  it('fills the defaults', () => {
    expect(DEFAULT_NAIVE_BAYES_PARAMS).toEqual({ alpha: 1, bins: 10 });
    for (const input of [null, undefined, {}, { bins: undefined }]) {
      expect(naiveBayesParams(input)).toEqual({ params: { alpha: 1, bins: 10 }, problems: [] });
    }
  });

  it('takes valid values, at the ends of the ranges too', () => {
    expect(naiveBayesParams({ alpha: 100, bins: 2 })).toEqual({
      params: { alpha: 100, bins: 2 },
      problems: [],
    });
    expect(naiveBayesParams({ alpha: 1e-9, bins: 100 }).problems).toEqual([]);
  });

  it('names each bad field and keeps its default', () => {
    expect(naiveBayesParams({ alpha: 0, bins: 10.5, smoothing: 1 })).toEqual({
      params: DEFAULT_NAIVE_BAYES_PARAMS,
      problems: [
        { path: 'alpha', message: 'must be a number > 0 and ≤ 100' },
        { path: 'bins', message: 'must be an integer from 2 to 100' },
        { path: 'smoothing', message: 'unknown parameter' },
      ],
    });
  });

  it.each([
    ['alpha', 100.5],
    ['alpha', NaN],
    ['alpha', '1'],
    ['alpha', null],
    ['bins', 1],
    ['bins', 101],
    ['bins', Infinity],
  ])('refuses %s = %p', (path, value) => {
    expect(naiveBayesParams({ [path]: value }).problems.map((p) => p.path)).toEqual([path]);
  });

  it('refuses params that are not an object', () => {
    const input = 'alpha=1' as unknown as Record<string, unknown>;
    expect(naiveBayesParams(input).problems).toEqual([
      { path: '', message: 'params must be an object' },
    ]);
  });
});
