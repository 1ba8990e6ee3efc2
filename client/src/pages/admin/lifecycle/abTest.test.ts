import { significanceText, toStartAbTestInput } from './abTest';
import { abTestIdOf, rememberAbTestId, rememberedAbTestId } from './abTestStore';
import { describeFigures } from './decisions';
import { abTestCandidates, shadowCandidates } from './usableModels';

describe('toStartAbTestInput', () => {
  it('turns the percent into the share of arm A', () => {
    expect(
      toStartAbTestInput({ modelA: 'weighted-sum', modelB: 'm3', sharePercent: '30' }),
    ).toEqual({
      ok: true,
      input: { modelA: 'weighted-sum', modelB: 'm3', share: 0.3 },
    });
  });

  it('wants two different models and a share strictly inside (0, 100)', () => {
    expect(toStartAbTestInput({ modelA: 'm3', modelB: 'm3', sharePercent: '100' })).toEqual({
      ok: false,
      errors: {
        modelB: 'Choose another model than arm A’s.',
        sharePercent: 'A percentage strictly between 0 and 100.',
      },
    });
    expect(toStartAbTestInput({ modelA: '', modelB: '', sharePercent: '' }).ok).toBe(false);
  });
});

describe('significanceText', () => {
  it('reads the p-value at 5 %', () => {
    expect(significanceText(0.01)).toBe('The arms differ (p = 0.010, significant at 5 %).');
    expect(significanceText(0.2)).toBe('No significant difference yet (p = 0.200).');
    expect(significanceText(null)).toBe('Not enough outcomes to test yet.');
  });
});

describe('abTestStore', () => {
  it('remembers and forgets the test id', () => {
    expect(rememberedAbTestId()).toBeNull();
    rememberAbTestId('ab1');
    expect(rememberedAbTestId()).toBe('ab1');
    rememberAbTestId(null);
    expect(rememberedAbTestId()).toBeNull();
  });

  it('reads the running test from an error’s extensions', () => {
    expect(abTestIdOf({ code: 'CONFLICT', abTestId: 'ab1' })).toBe('ab1');
    expect(abTestIdOf({ code: 'CONFLICT', abTestId: 'another' })).toBeNull();
    expect(abTestIdOf({ code: 'CONFLICT' })).toBeNull();
  });
});

describe('model pickers', () => {
  const models = [
    { id: 'weighted-sum', type: 'WEIGHTED_SUM', version: 1, status: 'RETIRED' as const },
    { id: 'm2', type: 'NAIVE_BAYES', version: 2, status: 'DEPLOYED' as const },
    { id: 'm3', type: 'NAIVE_BAYES', version: 3, status: 'READY' as const },
    { id: 'm4', type: 'NAIVE_BAYES', version: 4, status: 'FAILED' as const },
  ];
  it('offers what the API accepts', () => {
    expect(abTestCandidates(models).map((m) => m.id)).toEqual(['weighted-sum', 'm2', 'm3']);
    expect(shadowCandidates(models).map((m) => m.id)).toEqual(['m3']);
  });
});

describe('describeFigures', () => {
  it('lists the figures present', () => {
    expect(describeFigures({ auc: 0.81234, prAuc: null, logLoss: 0.5, brier: 0.15 })).toBe(
      'AUC 0.812, log loss 0.500, Brier 0.150',
    );
    expect(describeFigures(null)).toBe('—');
  });
});
