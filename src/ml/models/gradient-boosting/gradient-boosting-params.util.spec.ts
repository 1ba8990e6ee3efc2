import {
  DEFAULT_GRADIENT_BOOSTING_PARAMS,
  gradientBoostingParams,
} from './gradient-boosting-params.util';

describe('gradientBoostingParams', () => {
  it('fills every default for null, undefined and {}', () => {
    for (const input of [null, undefined, {}]) {
      const { params, problems } = gradientBoostingParams(input);
      expect(problems).toEqual([]);
      expect(params).toEqual({
        learningRate: 0.1,
        maxIterations: 100,
        maxLeafNodes: 31,
        maxDepth: null,
        minSamplesLeaf: 20,
        l2Regularization: 0,
        maxBins: 255,
        earlyStopping: 'AUTO',
        validationFraction: 0.1,
        nIterNoChange: 10,
        tolerance: 1e-7,
        seed: 42,
      });
    }
  });

  it('keeps good values, boundaries included, and treats undefined as absent', () => {
    const { params, problems } = gradientBoostingParams({
      learningRate: 1,
      maxIterations: 5000,
      maxLeafNodes: 2,
      maxDepth: 64,
      minSamplesLeaf: 1,
      l2Regularization: 0.5,
      maxBins: 2,
      earlyStopping: 'OFF',
      validationFraction: 0.5,
      nIterNoChange: 1,
      tolerance: 0,
      seed: -7,
      l2: undefined,
    });
    expect(problems).toEqual([{ path: 'l2', message: 'unknown parameter' }]);
    expect(params).toMatchObject({ learningRate: 1, maxDepth: 64, maxBins: 2, seed: -7 });
    expect(gradientBoostingParams({ maxDepth: null, seed: undefined }).params).toMatchObject({
      maxDepth: null,
      seed: 42,
    });
  });

  it('names every bad field by its path and keeps its default', () => {
    const { params, problems } = gradientBoostingParams({
      learningRate: 0,
      maxIterations: 0,
      maxLeafNodes: 1,
      maxDepth: 0,
      minSamplesLeaf: 2.5,
      l2Regularization: -1,
      maxBins: 256,
      earlyStopping: 'YES',
      validationFraction: 0.6,
      nIterNoChange: 0,
      tolerance: Number.NaN,
      seed: 1.5,
      depth: 3,
    });
    expect(problems.map((p) => p.path)).toEqual([
      'learningRate',
      'maxIterations',
      'maxLeafNodes',
      'maxDepth',
      'minSamplesLeaf',
      'l2Regularization',
      'maxBins',
      'earlyStopping',
      'validationFraction',
      'nIterNoChange',
      'tolerance',
      'seed',
      'depth',
    ]);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
    expect(params).toEqual(DEFAULT_GRADIENT_BOOSTING_PARAMS);
  });

  it('rejects wrong types, and null everywhere but maxDepth', () => {
    const { problems } = gradientBoostingParams({
      learningRate: '0.1',
      maxIterations: null,
      maxLeafNodes: null,
      earlyStopping: 'on',
      validationFraction: true,
      maxDepth: '3',
    });
    expect(problems).toEqual([
      { path: 'learningRate', message: 'must be a number > 0 and ≤ 1' },
      { path: 'maxIterations', message: 'must be an integer from 1 to 5000' },
      { path: 'maxLeafNodes', message: 'must be an integer from 2 to 4096' },
      { path: 'maxDepth', message: 'must be an integer from 1 to 64' },
      { path: 'earlyStopping', message: 'must be one of AUTO, ON, OFF' },
      { path: 'validationFraction', message: 'must be a number > 0 and ≤ 0.5' },
    ]);
  });

  it('reports a non-object', () => {
    expect(gradientBoostingParams([] as unknown as Record<string, unknown>).problems).toEqual([
      { path: '', message: 'params must be an object' },
    ]);
  });
});
