import type { RawValue } from '../features/raw-features.util';
import type { FittedTransformation } from '../transform/transformation.util';
import {
  computeModelDrift,
  DriftFeature,
  driftFeaturesOf,
  MIN_ROWS_TO_FLAG,
  ModelDriftInput,
} from './model-drift.util';

const segment: DriftFeature = { name: 'segment', kind: 'categorical', levels: ['A', 'B'] };
const size: DriftFeature = { name: 'size', kind: 'numeric', levels: [] };
const region: DriftFeature = { name: 'region', kind: 'categorical', levels: ['north', 'south'] };

/** Each value `times` times in a row: shares stay, the row count grows past MIN_ROWS_TO_FLAG. */
const repeat = <T>(values: readonly T[], times: number): T[] =>
  Array.from({ length: times }, () => values).flat();

const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const regions = [
  'north',
  'south',
  'north',
  'south',
  'north',
  'south',
  'north',
  'south',
  'north',
  'south',
];

function makeInput(overrides: Partial<ModelDriftInput> = {}, times = 3): ModelDriftInput {
  return {
    features: [segment, size, region],
    baseline: [
      repeat(['A', 'A', 'B', 'C', 'A', 'A', 'B', 'C', 'A', 'B'], times),
      repeat(ten, times),
      repeat(regions, times),
    ],
    current: [
      repeat(['A', 'D', 'D', null, 'A', 'D', 'D', null, 'A', 'D'], times),
      repeat<RawValue>([1, 2, 3, 4, 5, 6, 7, 8, 9, 'n/a'], times),
      repeat(regions, times),
    ],
    baselineScores: repeat([10, 90], 5 * times),
    currentScores: repeat([10, 10], 5 * times),
    threshold: 0.2,
    ...overrides,
  };
}

describe('computeModelDrift', () => {
  it('bins a categorical feature by the levels the model kept, others as (other)', () => {
    const result = computeModelDrift(makeInput());
    const drift = result.features[0];
    // Baseline (per 10): A A B C A A B C A B → A 0.5, B 0.3, C → (other) 0.2.
    // Current: A D D – A D D – A D → A 0.3, D → (other) 0.5, (missing) 0.2.
    expect(drift.bins.map((bin) => [bin.label, bin.expectedShare, bin.actualShare])).toEqual([
      ['(other)', 0.2, 0.5],
      ['A', 0.5, 0.3],
      ['B', 0.3, 0],
      ['(missing)', 0, 0.2],
    ]);
    // (0.5 − 0.2)·ln(0.5/0.2) + (0.3 − 0.5)·ln(0.3/0.5) + (0.0001 − 0.3)·ln(0.0001/0.3)
    // + (0.2 − 0.0001)·ln(0.2/0.0001)
    // = 0.3·ln 2.5 + 0.2·ln(5/3) + 0.2999·ln 3000 + 0.1999·ln 2000
    // = 0.274887 + 0.102165 + 2.401110 + 1.519420 = 4.297582379516216.
    expect(drift.psi).toBeCloseTo(4.297582379516216, 9);
    expect(drift).toMatchObject({ name: 'segment', kind: 'categorical', flagged: true });
  });

  it('takes a numeric feature at the baseline deciles, a value that is not a number as missing', () => {
    const drift = computeModelDrift(makeInput()).features[1];
    // Ten decile bins of 0.1 each in the baseline. Current: the first nine bins 0.1, the last
    // (9.1, +inf) empty, and "n/a" in (missing) (0.1, none in the baseline):
    // 2 × (0.1 − 0.0001)·ln(0.1/0.0001) = 0.1998·ln 1000 = 1.380169504740631.
    expect(drift.bins).toHaveLength(11);
    expect(drift.bins[9]).toMatchObject({ lower: expect.closeTo(9.1, 12), upper: null });
    expect(drift.bins[9].actualShare).toBe(0);
    expect(drift.bins[10]).toMatchObject({ label: '(missing)', expectedShare: 0 });
    expect(drift.bins[10].actualShare).toBeCloseTo(0.1, 12);
    expect(drift.psi).toBeCloseTo(1.380169504740631, 9);
  });

  it('flags PSI above the threshold only, and the score distribution like a feature', () => {
    const result = computeModelDrift(makeInput());
    expect(result.features[2]).toMatchObject({ name: 'region', psi: 0, flagged: false });
    expect(result.flaggedFeatures).toEqual(['segment', 'size']);
    expect(result.maxFeaturePsi).toBeCloseTo(4.297582379516216, 9);
    // Scores 15 × 10 and 15 × 90 against 30 × 10. Deciles at h = 29·k/10: 10 for k ≤ 4, 50 at
    // k = 5 (h = 14.5, halfway from 10 to 90), 90 above: bins (−inf, 10], (10, 50], (50, 90],
    // (90, +inf) with 0.5, 0, 0.5, 0 against 1, 0, 0, 0:
    // 0.5·ln 2 + (0.5 − 0.0001)·ln(0.5/0.0001) = 0.5·ln 2 + 0.4999·ln 5000 = 4.60431846666895.
    expect(result.score.bins.map((bin) => bin.label)).toEqual([
      '(-inf, 10]',
      '(10, 50]',
      '(50, 90]',
      '(90, +inf)',
    ]);
    expect(result.score.psi).toBeCloseTo(4.60431846666895, 9);
    expect(result.score.flagged).toBe(true);
    expect(result.flagged).toBe(true);
    expect(result.flaggable).toBe(true);

    const lenient = computeModelDrift(makeInput({ threshold: 4.3 }));
    expect(lenient.flaggedFeatures).toEqual([]);
    expect(lenient.score.flagged).toBe(true);
    expect(lenient.flagged).toBe(true);
    // Exactly at the threshold is not above it.
    const at = computeModelDrift(makeInput({ threshold: lenient.score.psi }));
    expect(at.flagged).toBe(false);
  });

  it('flags nothing on too few rows, but still reports the PSI', () => {
    expect(MIN_ROWS_TO_FLAG).toBe(30);
    const result = computeModelDrift(makeInput({}, 2));
    expect(result.flaggable).toBe(false);
    expect(result.flagged).toBe(false);
    expect(result.flaggedFeatures).toEqual([]);
    expect(result.features[0].psi).toBeCloseTo(4.297582379516216, 9);
    expect(result.features.every((feature) => !feature.flagged)).toBe(true);
  });

  it('is 0 and flags nothing for the same population', () => {
    const input = makeInput();
    const result = computeModelDrift({
      ...input,
      current: input.baseline.map((column) => [...column].reverse()),
      currentScores: [...input.baselineScores].reverse(),
    });
    expect(result.features.map((feature) => feature.psi)).toEqual([0, 0, 0]);
    expect(result.score.psi).toBe(0);
    expect(result.flagged).toBe(false);
  });

  it('refuses columns that do not match the features', () => {
    expect(() => computeModelDrift(makeInput({ baseline: [[1]] }))).toThrow(RangeError);
  });
});

describe('driftFeaturesOf', () => {
  it('lists the fitted features with their kind and kept levels, in order', () => {
    const fitted = {
      features: [
        {
          kind: 'categorical',
          name: 'job',
          levels: ['admin', 'tech'],
          other: true,
          missing: false,
        },
        {
          kind: 'numeric',
          name: 'age',
          log1p: false,
          fill: 40,
          missingIndicator: false,
          center: 40,
          scale: 10,
        },
      ],
    } satisfies Pick<FittedTransformation, 'features'>;
    expect(driftFeaturesOf(fitted)).toEqual([
      { name: 'job', kind: 'categorical', levels: ['admin', 'tech'] },
      { name: 'age', kind: 'numeric', levels: [] },
    ]);
  });
});
