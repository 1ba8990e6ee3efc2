import {
  explanationLabel,
  formatPercentOf,
  formatSigned,
  splitFactors,
  weightedSumSteps,
} from './breakdownMath';
import { toHistoryPoints } from './history';
import { newIdempotencyKey } from './idempotencyKey';

describe('weightedSumSteps', () => {
  it('works out 0.4×0.8 + 0.35×0.5 + 0.25×1 = 0.745, × 0.8205 × 100 = 61.13', () => {
    const terms = [
      {
        feature: 'emailOpens',
        value: 8,
        cap: 10,
        normalized: 0.8,
        weight: 0.4,
        contribution: 26.26,
      },
      {
        feature: 'websiteVisits',
        value: 10,
        cap: 20,
        normalized: 0.5,
        weight: 0.35,
        contribution: 14.36,
      },
      {
        feature: 'timeSpent',
        value: 900,
        cap: 600,
        normalized: 1,
        weight: 0.25,
        contribution: 20.51,
      },
    ];
    const steps = weightedSumSteps(terms, 0.745, 0.8205);
    expect(steps.clamped).toBe(0.745);
    expect(steps.score).toBe(61.13);
    expect(steps.contributionSum).toBe(61.13);
  });

  it('clamps a raw sum above 1', () => {
    expect(weightedSumSteps([], 1.4, 0.5)).toMatchObject({ clamped: 1, score: 50 });
  });
});

describe('splitFactors', () => {
  it('orders raising factors largest first and lowering ones most negative first', () => {
    const split = splitFactors([
      { feature: 'a', contribution: 0.1 },
      { feature: 'b', contribution: -0.5 },
      { feature: 'c', contribution: 0.9 },
      { feature: 'd', contribution: 0 },
      { feature: 'e', contribution: -0.2 },
    ]);
    expect(split.positive.map((f) => f.feature)).toEqual(['c', 'a']);
    expect(split.negative.map((f) => f.feature)).toEqual(['b', 'e']);
    expect(split.neutral).toBe(1);
  });
});

describe('formatting', () => {
  it('signs numbers with plus and a real minus', () => {
    expect(formatSigned(0.4213)).toBe('+0.421');
    expect(formatSigned(-1.5, 2)).toBe('−1.50');
    expect(formatSigned(0)).toBe('0.000');
  });

  it('names the explanation method', () => {
    expect(explanationLabel('TREE_SHAP', 'GRADIENT_BOOSTING')).toBe('TreeSHAP (exact)');
    expect(explanationLabel(null, 'LOGISTIC_REGRESSION')).toBe('weight × input');
  });

  it('sizes bars as a share of the largest', () => {
    expect(formatPercentOf(1, 4)).toBe('25.0%');
    expect(formatPercentOf(1, 0)).toBe('0%');
  });
});

describe('toHistoryPoints', () => {
  it('turns the newest-first answer into oldest → newest', () => {
    const points = toHistoryPoints([
      {
        at: '2026-12-03T00:00:00Z',
        score: 3,
        reason: 'INTERACTION',
        configVersion: 1,
        modelVersion: 1,
      },
      {
        at: '2026-12-01T00:00:00Z',
        score: 1,
        reason: 'INTERACTION',
        configVersion: 1,
        modelVersion: 1,
      },
      { at: 'not a date', score: 9, reason: 'INTERACTION', configVersion: 1, modelVersion: 1 },
      {
        at: '2026-12-02T00:00:00Z',
        score: 2,
        reason: 'INTERACTION',
        configVersion: 1,
        modelVersion: 1,
      },
    ]);
    expect(points.map((p) => p.score)).toEqual([1, 2, 3]);
    expect(points[0].t).toBe(Date.parse('2026-12-01T00:00:00Z'));
  });
});

describe('newIdempotencyKey', () => {
  it('builds a v4 UUID without randomUUID (insecure contexts)', () => {
    const fake = {
      getRandomValues: (bytes: Uint8Array) => bytes.fill(0xff),
    } as unknown as Crypto;
    expect(newIdempotencyKey(fake)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
