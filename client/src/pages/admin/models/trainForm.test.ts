import { toTrainInput } from './trainForm';

const base = {
  modelType: 'GRADIENT_BOOSTING' as const,
  datasetVersionId: 'v1',
  seed: '42',
  params: {},
};

describe('toTrainInput', () => {
  it('builds the input with params only when set', () => {
    expect(toTrainInput(base)).toEqual({
      ok: true,
      input: { modelType: 'GRADIENT_BOOSTING', datasetVersionId: 'v1', seed: 42 },
    });
    expect(
      toTrainInput({ ...base, seed: '', params: { learningRate: '0.05', earlyStopping: 'OFF' } }),
    ).toEqual({
      ok: true,
      input: {
        modelType: 'GRADIENT_BOOSTING',
        datasetVersionId: 'v1',
        seed: 42,
        params: { learningRate: 0.05, earlyStopping: 'OFF' },
      },
    });
  });

  it('names every missing or bad field', () => {
    expect(toTrainInput({ modelType: '', datasetVersionId: '', seed: '-1', params: {} })).toEqual({
      ok: false,
      errors: {
        modelType: 'Choose a model type.',
        datasetVersionId: 'Choose a dataset version.',
        seed: 'Must be a whole number from 0 to 2147483647.',
      },
    });
    expect(toTrainInput({ ...base, params: { maxLeafNodes: '1' } })).toEqual({
      ok: false,
      errors: { 'params.maxLeafNodes': 'Must be a whole number from 2 to 4096.' },
    });
  });
});
