import { defaultLifecycle } from './fixtures';
import { formFromLifecycle, lifecycleChanges } from './lifecycleForm';

const form = formFromLifecycle(defaultLifecycle);

describe('formFromLifecycle', () => {
  it('shows the settings as text, the Brier allowance in percent', () => {
    expect(form).toMatchObject({
      cadenceDays: '7',
      modelType: 'GRADIENT_BOOSTING',
      maxAucDrop: '0.005',
      maxBrierIncreasePercent: '10',
      maxChampionAgeDays: '90',
      driftThreshold: '0.2',
      minConverted: '50',
    });
    expect(form.params.learningRate).toBe('0.1');
    expect(form.params.maxDepth).toBeUndefined();
  });
});

describe('lifecycleChanges', () => {
  it('sends nothing when nothing changed', () => {
    expect(lifecycleChanges(defaultLifecycle, form)).toEqual({ ok: true, input: {} });
  });

  it('sends only the fields changed, the promotion rule whole', () => {
    const result = lifecycleChanges(defaultLifecycle, {
      ...form,
      retrainingEnabled: true,
      cadenceDays: '14',
      maxBrierIncreasePercent: '7',
      driftThreshold: '0.25',
    });
    expect(result).toEqual({
      ok: true,
      input: {
        retrainingEnabled: true,
        cadenceDays: 14,
        promotion: { maxAucDrop: 0.005, maxBrierIncrease: 0.07, maxChampionAgeDays: 90 },
        driftThreshold: 0.25,
      },
    });
  });

  it('sends params when one changes, and always with a new model type', () => {
    expect(
      lifecycleChanges(defaultLifecycle, {
        ...form,
        params: { ...form.params, learningRate: '0.05' },
      }),
    ).toMatchObject({ ok: true, input: { params: { learningRate: 0.05 } } });
    expect(
      lifecycleChanges(defaultLifecycle, { ...form, modelType: 'NAIVE_BAYES', params: {} }),
    ).toEqual({ ok: true, input: { modelType: 'NAIVE_BAYES', params: {} } });
    // Clearing a field back to its default is no change.
    expect(
      lifecycleChanges(defaultLifecycle, { ...form, params: { ...form.params, maxBins: '' } }),
    ).toEqual({ ok: true, input: {} });
  });

  it('checks every range as the API does', () => {
    const result = lifecycleChanges(defaultLifecycle, {
      ...form,
      cadenceDays: '91',
      maxAucDrop: '0.2',
      maxBrierIncreasePercent: '-1',
      maxChampionAgeDays: '1.5',
      driftThreshold: '0',
      minConverted: '0',
      minLost: '',
      params: { learningRate: '3' },
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        cadenceDays: 'A whole number of days from 1 to 90.',
        maxAucDrop: 'A number from 0 to 0.1.',
        maxBrierIncreasePercent: 'A percentage from 0 to 100.',
        maxChampionAgeDays: 'A whole number of days from 1 to 3650.',
        driftThreshold: 'A number from 0.01 to 5.',
        minConverted: 'A whole number, 1 or more.',
        minLost: 'A whole number, 1 or more.',
        'params.learningRate': 'Must be a number > 0 and ≤ 1.',
      },
    });
  });
});
