import {
  DEFAULT_LOGISTIC_REGRESSION_PARAMS,
  logisticRegressionParams,
} from './logistic-regression-params.util';

describe('logisticRegressionParams', () => {
  it('fills the defaults', () => {
    const defaults = {
      l2: 1,
      maxIterations: 100,
      tolerance: 1e-6,
      classWeight: 'NONE',
      solver: 'AUTO',
    };
    expect(DEFAULT_LOGISTIC_REGRESSION_PARAMS).toEqual(defaults);
    for (const input of [null, undefined, {}, { l2: undefined }]) {
      expect(logisticRegressionParams(input)).toEqual({ params: defaults, problems: [] });
    }
  });

  it('takes every valid value, at the ends of the ranges too', () => {
    const input = {
      l2: 0,
      maxIterations: 1000,
      tolerance: 1e-12,
      classWeight: 'BALANCED',
      solver: 'LBFGS',
    };
    expect(logisticRegressionParams(input)).toEqual({ params: input, problems: [] });
    expect(logisticRegressionParams({ maxIterations: 1 }).problems).toEqual([]);
  });

  it('names each bad field and keeps its default', () => {
    const { params, problems } = logisticRegressionParams({
      l2: -0.1,
      maxIterations: 2.5,
      tolerance: 0,
      classWeight: 'balanced',
      solver: 1,
      learningRate: 0.1,
    });
    expect(problems).toEqual([
      { path: 'l2', message: 'must be a number ≥ 0' },
      { path: 'maxIterations', message: 'must be an integer from 1 to 1000' },
      { path: 'tolerance', message: 'must be a number > 0' },
      { path: 'classWeight', message: 'must be one of NONE, BALANCED' },
      { path: 'solver', message: 'must be one of AUTO, NEWTON, LBFGS' },
      { path: 'learningRate', message: 'unknown parameter' },
    ]);
    expect(params).toEqual(DEFAULT_LOGISTIC_REGRESSION_PARAMS);
  });

  it.each([
    ['l2', NaN],
    ['l2', Infinity],
    ['l2', '1'],
    ['l2', null],
    ['maxIterations', 0],
    ['maxIterations', 1001],
    ['tolerance', -1e-6],
  ])('refuses %s = %p', (path, value) => {
    expect(logisticRegressionParams({ [path]: value }).problems.map((p) => p.path)).toEqual([path]);
  });

  it('refuses params that are not an object', () => {
    const input = [1] as unknown as Record<string, unknown>;
    expect(logisticRegressionParams(input).problems).toEqual([
      { path: '', message: 'params must be an object' },
    ]);
  });
});
