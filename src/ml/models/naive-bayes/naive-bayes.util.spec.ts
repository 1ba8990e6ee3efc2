import { seededRandom } from '../../common/random.util';
import { FitProgress, sigmoid, TrainingData } from '../model.types';
import {
  columnsPerStep,
  DEFAULT_NAIVE_BAYES_PARAMS,
  explainNaiveBayes,
  fitNaiveBayes,
  NaiveBayesModel,
  naiveBayesLogit,
  NaiveBayesParams,
} from './naive-bayes.util';

function makeData(columns: number[][], y: number[]): TrainingData {
  const rows = y.length;
  const cols = columns.length;
  const x = new Float64Array(rows * cols);
  columns.forEach((column, j) => column.forEach((value, i) => (x[i * cols + j] = value)));
  return { x, rows, cols, y: Uint8Array.from(y) };
}

function fitWith(
  data: TrainingData,
  params: Partial<NaiveBayesParams> = {},
): { model: NaiveBayesModel; progress: FitProgress[] } {
  const sut = fitNaiveBayes(data, { ...DEFAULT_NAIVE_BAYES_PARAMS, ...params });
  const progress: FitProgress[] = [];
  for (;;) {
    const step = sut.next();
    if (step.done) return { model: step.value, progress };
    progress.push(step.value);
  }
}

/** Continuous columns (some values missing), then 0/1 columns. */
function makeRandomProblem({ rows, continuous, binary, seed }: Record<string, number>) {
  const random = seededRandom(seed);
  const columns = [
    ...Array.from({ length: continuous }, () =>
      Array.from({ length: rows }, () => (random() < 0.05 ? NaN : random() * 10 - 5)),
    ),
    ...Array.from({ length: binary }, () =>
      Array.from({ length: rows }, () => (random() < 0.3 ? 1 : 0)),
    ),
  ];
  const y = columns[0].map((value) => (random() < (value > 0 ? 0.3 : 0.1) ? 1 : 0));
  return makeData(columns, y);
}

describe('fitNaiveBayes', () => {
  // Eight rows, 3 positive (n1 = 3) and 5 negative (n0 = 5), alpha = 1.
  //   y:  1 1 1 | 0 0 0 0   0
  //   c0: 1 1 0 | 1 0 0 0   0     a one-hot: edges [0.5], bins ≤0.5, >0.5, NaN (3 bins)
  //   c1: 1 2 5 | 2 1 1 NaN 5     values 1, 2, 5: edges [1.5, 3.5], 3 bins + NaN (4 bins)
  const HAND = makeData(
    [
      [1, 1, 0, 1, 0, 0, 0, 0],
      [1, 2, 5, 2, 1, 1, NaN, 5],
    ],
    [1, 1, 1, 0, 0, 0, 0, 0],
  );

  it('counts and smooths each bin as worked by hand', () => {
    const { model } = fitWith(HAND);
    // priorLogOdds = ln(3/5) = −0.5108256237659907.
    expect(model.priorLogOdds).toBeCloseTo(Math.log(3 / 5), 15);
    // c0: counts | y=1: 1, 2, 0 | y=0: 4, 1, 0.
    //   P(bin | 1) = (c + 1)/(3 + 3): 2/6, 3/6, 1/6.  P(bin | 0) = (c + 1)/(5 + 3): 5/8, 2/8, 1/8.
    //   ln((2/6)/(5/8)) = ln(8/15) = −0.6286086594,  ln((3/6)/(2/8)) = ln 2 = 0.6931471806,
    //   ln((1/6)/(1/8)) = ln(4/3) = 0.2876820725.
    expect(model.columns[0].edges).toEqual([0.5]);
    [Math.log(8 / 15), Math.log(2), Math.log(4 / 3)].forEach((ratio, k) =>
      expect(model.columns[0].logRatios[k]).toBeCloseTo(ratio, 14),
    );
    // c1: counts | y=1: 1, 1, 1, 0 | y=0: 2, 1, 1, 1.
    //   P(bin | 1) = (c + 1)/(3 + 4): 2/7, 2/7, 2/7, 1/7.
    //   P(bin | 0) = (c + 1)/(5 + 4): 3/9, 2/9, 2/9, 2/9.
    //   ln(18/21) = ln(6/7) = −0.1541506798, ln(9/7) = 0.2513144283 (twice),
    //   ln((1/7)/(2/9)) = ln(9/14) = −0.4418327523.
    expect(model.columns[1].edges).toEqual([1.5, 3.5]);
    [Math.log(6 / 7), Math.log(9 / 7), Math.log(9 / 7), Math.log(9 / 14)].forEach((ratio, k) =>
      expect(model.columns[1].logRatios[k]).toBeCloseTo(ratio, 14),
    );
    // A row (c0 = 1, c1 missing): ln(3/5) + ln 2 + ln(9/14) = ln(3·2·9 / (5·14)) = ln(27/35).
    expect(naiveBayesLogit(model, [1, NaN])).toBeCloseTo(Math.log(27 / 35), 14);
    // Importance: Σ |ratio| · share of rows in the bin.
    //   c0: 0.6286086594·5/8 + 0.6931471806·3/8 = 0.6528106048
    //   c1: 0.1541506798·3/8 + 0.2513144283·(2/8 + 2/8) + 0.4418327523·1/8 = 0.2386928131
    //   normalized: 0.6528106048/0.8915034180 = 0.7322581066, 0.2677418934.
    expect(model.importance[0]).toBeCloseTo(0.7322581066, 9);
    expect(model.importance[1]).toBeCloseTo(0.2677418934, 9);
    expect(model.iterations).toBe(2);
    expect(model.notes).toEqual([]);
  });

  it('scores unseen values by their bin and a missing one by the NaN bin', () => {
    const { model } = fitWith(HAND);
    const prior = Math.log(3 / 5);
    // c0 = 0.7 > 0.5 falls in the bin of the 1s; c1 = 3 in (1.5, 3.5], the bin of the 2s.
    expect(naiveBayesLogit(model, [0.7, 3])).toBeCloseTo(prior + Math.log(2) + Math.log(9 / 7), 14);
    // Far outside the training range: −7 in the first bin, 100 in the last value bin.
    expect(naiveBayesLogit(model, [-7, 100])).toBeCloseTo(
      prior + Math.log(8 / 15) + Math.log(9 / 7),
      14,
    );
    // c0 never missing in training: its NaN bin is smoothing only, ln((0+1)/6 ÷ (0+1)/8) = ln(4/3).
    expect(naiveBayesLogit(model, [NaN, 1])).toBeCloseTo(
      prior + Math.log(4 / 3) + Math.log(6 / 7),
      14,
    );
  });

  it('gives a 0/1 column one bin per value and a constant column one bin, and notes it', () => {
    // n1 = 1, n0 = 3, alpha = 0.5. Column 0 is always 2, column 1 always missing, column 2 is 0/1.
    const data = makeData(
      [
        [2, 2, 2, 2],
        [NaN, NaN, NaN, NaN],
        [1, 0, 1, 0],
      ],
      [1, 0, 0, 0],
    );
    const { model } = fitWith(data, { alpha: 0.5 });
    // Column 0, bins {2}, NaN: counts | y=1: 1, 0 | y=0: 3, 0.
    //   P(·|1) = (c + 0.5)/(1 + 1): 0.75, 0.25.  P(·|0) = (c + 0.5)/(3 + 1): 0.875, 0.125.
    //   ln(0.75/0.875) = ln(6/7), ln(0.25/0.125) = ln 2: the smoothing alone, as few rows make it.
    expect(model.columns[0].edges).toEqual([]);
    expect(model.columns[0].logRatios[0]).toBeCloseTo(Math.log(6 / 7), 14);
    expect(model.columns[0].logRatios[1]).toBeCloseTo(Math.log(2), 14);
    // Column 1, the same with the bins' roles swapped: ln 2 (empty value bin), ln(6/7) (NaN).
    expect(model.columns[1].edges).toEqual([]);
    expect(model.columns[1].logRatios[0]).toBeCloseTo(Math.log(2), 14);
    expect(model.columns[1].logRatios[1]).toBeCloseTo(Math.log(6 / 7), 14);
    // Column 2, bins {0}, {1}, NaN: counts | y=1: 0, 1, 0 | y=0: 2, 1, 0.
    //   P(·|1) = (c + 0.5)/(1 + 1.5): 0.2, 0.6, 0.2.  P(·|0) = (c + 0.5)/(3 + 1.5): 2.5/4.5,
    //   1.5/4.5, 0.5/4.5. Ratios ln(0.2·4.5/2.5) = ln 0.36, ln(0.6·4.5/1.5) = ln 1.8, ln 1.8.
    expect(model.columns[2].edges).toEqual([0.5]);
    [Math.log(0.36), Math.log(1.8), Math.log(1.8)].forEach((ratio, k) =>
      expect(model.columns[2].logRatios[k]).toBeCloseTo(ratio, 14),
    );
    // Importance: columns 0 and 1: 0.1541506798 · 1 each; column 2: (1.0216512475 + 0.5877866649)/2
    // = 0.8047189562. Total 1.1130203158: 0.1384976, 0.1384976, 0.7230048.
    expect(model.importance[0]).toBeCloseTo(0.1384976, 6);
    expect(model.importance[1]).toBeCloseTo(0.1384976, 6);
    expect(model.importance[2]).toBeCloseTo(0.7230048, 6);
    expect(model.notes).toEqual([
      'constant on the training rows (one bin, a small smoothing-only term): columns 0, 1',
    ]);
  });

  it('cuts a continuous column at its quantiles', () => {
    // Values 1 … 20 (more distinct values than 4 bins): quartiles at h = 19·p
    //   p = 0.25: h = 4.75 → 5 + 0.75·1 = 5.75;  p = 0.5: 10.5;  p = 0.75: h = 14.25 → 15.25.
    // Bins 1–5, 6–10, 11–15, 16–20, NaN. Positives are 16 … 20: n1 = 5, n0 = 15.
    //   last value bin: P(·|1) = (5 + 1)/(5 + 5) = 0.6, P(·|0) = (0 + 1)/(15 + 5) = 0.05 → ln 12;
    //   other value bins: (0 + 1)/10 = 0.1 and (5 + 1)/20 = 0.3 → ln(1/3); NaN: 0.1/0.05 → ln 2.
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const { model } = fitWith(
      makeData(
        [values],
        values.map((v) => (v > 15 ? 1 : 0)),
      ),
      { bins: 4 },
    );
    expect(model.columns[0].edges).toEqual([5.75, 10.5, 15.25]);
    const third = Math.log(1 / 3);
    [third, third, third, Math.log(12), Math.log(2)].forEach((ratio, k) =>
      expect(model.columns[0].logRatios[k]).toBeCloseTo(ratio, 14),
    );
  });

  it('keeps repeated quantiles once, so a heavy value gets one fuller bin', () => {
    // Twelve 0s then 1 … 8 (9 distinct > 4 bins). Sorted, h = 19·p:
    //   4.75 → 0, 9.5 → 0, 14.25 → s[14] + 0.25·(s[15] − s[14]) = 3 + 0.25 = 3.25.
    // Unique edges [0, 3.25]: bins {0} (12 rows), {1, 2, 3} (3 rows), {4 … 8} (5 rows).
    const values = [...new Array<number>(12).fill(0), 1, 2, 3, 4, 5, 6, 7, 8];
    const { model } = fitWith(
      makeData(
        [values],
        values.map((v) => (v > 3 ? 1 : 0)),
      ),
      { bins: 4 },
    );
    expect(model.columns[0].edges).toEqual([0, 3.25]);
    expect(model.columns[0].logRatios).toHaveLength(4);
  });

  it('reports a step per block of columns, with the training log loss so far', () => {
    // 36,000 rows: 180,000 / 36,000 = 5 columns per step; 12 columns → steps at 5, 10, 12.
    expect(columnsPerStep(36_000)).toBe(5);
    expect(columnsPerStep(1_000_000)).toBe(1);
    const data = makeRandomProblem({ rows: 36_000, continuous: 2, binary: 10, seed: 4 });
    const { model, progress } = fitWith(data);
    expect(progress.map((p) => [p.iteration, p.maxIterations])).toEqual([
      [5, 12],
      [10, 12],
      [12, 12],
    ]);
    let loss = 0;
    for (let i = 0; i < data.rows; i++) {
      const p = sigmoid(naiveBayesLogit(model, data.x, i * data.cols));
      loss -= data.y[i] === 1 ? Math.log(p) : Math.log(1 - p);
    }
    expect(progress[2].loss).toBeCloseTo(loss / data.rows, 12);
    expect(model.iterations).toBe(12);
  });

  it('is deterministic', () => {
    const data = makeRandomProblem({ rows: 2000, continuous: 3, binary: 3, seed: 9 });
    expect(fitWith(data)).toEqual(fitWith(data));
  });

  it('adds up: base + Σ contributions = logit, and base is the prior', () => {
    const data = makeRandomProblem({ rows: 500, continuous: 3, binary: 3, seed: 2 });
    const { model } = fitWith(data);
    for (let i = 0; i < data.rows; i++) {
      const { base, contributions } = explainNaiveBayes(model, data.x, i * data.cols);
      expect(base).toBe(model.priorLogOdds);
      const sum = contributions.reduce((total, c) => total + c, base);
      expect(Math.abs(sum - naiveBayesLogit(model, data.x, i * data.cols))).toBeLessThan(1e-12);
    }
    const importance = model.importance.reduce((sum, value) => sum + value, 0);
    expect(importance).toBeCloseTo(1, 12);
  });

  it('refuses a missing class, bad data and bad params with a RangeError', () => {
    const params = DEFAULT_NAIVE_BAYES_PARAMS;
    expect(() => fitNaiveBayes(makeData([[1, 2]], [1, 1]), params)).toThrow(/both classes/);
    expect(() => fitNaiveBayes(makeData([[1, Infinity]], [1, 0]), params)).toThrow(/finite or NaN/);
    expect(() => fitNaiveBayes(makeData([[1, 2]], [1, 3]), params)).toThrow(/labels are 0 or 1/);
    expect(() => fitNaiveBayes({ ...HAND, rows: 7 }, params)).toThrow(RangeError);
    expect(() => fitNaiveBayes(HAND, { alpha: 0, bins: 10 })).toThrow(/alpha: must be/);
  });
});
