import {
  averagePrecision,
  bestF1Threshold,
  brierScore,
  calibrationTable,
  confusionAt,
  evaluate,
  liftAtTopDecile,
  logLoss,
  rocAuc,
  rocCurve,
} from './metrics.util';

const labels = (values: number[]) => Uint8Array.from(values);
const scores = (values: number[]) => Float64Array.from(values);

// The running example: p descending is 0.8 (y 1), 0.4 (y 0), 0.35 (y 1), 0.1 (y 0).
const yA = labels([0, 0, 1, 1]);
const pA = scores([0.1, 0.4, 0.35, 0.8]);

describe('rocAuc', () => {
  it('is the share of (positive, negative) pairs ordered right', () => {
    // Ascending ranks: 0.1 → 1, 0.35 → 2, 0.4 → 3, 0.8 → 4. Positives' rank sum 2 + 4 = 6;
    // U = 6 − 2·3/2 = 3; AUC = 3 / (2·2) = 0.75.
    expect(rocAuc(yA, pA)).toBe(0.75);
  });

  it('counts ties half, by average ranks', () => {
    // All tied: every rank is 2.5; positives' sum 5; U = 5 − 3 = 2; 2 / 4 = 0.5.
    expect(rocAuc(labels([0, 1, 0, 1]), scores([0.5, 0.5, 0.5, 0.5]))).toBe(0.5);
    // p 0.2, 0.2 → ranks 1, 2 (avg 1.5); 0.6, 0.6 → 3, 4 (avg 3.5); 0.9 → 5.
    // Positives at 0.6, 0.2, 0.9: 3.5 + 1.5 + 5 = 10; U = 10 − 3·4/2 = 4; 4 / (3·2) = 2/3.
    expect(rocAuc(labels([0, 1, 1, 0, 1]), scores([0.2, 0.6, 0.2, 0.6, 0.9]))).toBeCloseTo(
      2 / 3,
      15,
    );
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc(labels([0, 0, 1]), scores([0.1, 0.2, 0.3]))).toBe(1);
    expect(rocAuc(labels([1, 0, 0]), scores([0.1, 0.2, 0.3]))).toBe(0);
  });

  it('is NaN when a class is absent', () => {
    expect(rocAuc(labels([0, 0]), scores([0.1, 0.9]))).toBeNaN();
    expect(rocAuc(labels([1, 1]), scores([0.1, 0.9]))).toBeNaN();
  });
});

describe('averagePrecision', () => {
  it('is Σ (R_n − R_{n−1})·P_n over distinct thresholds descending', () => {
    // 0.8: TP 1, FP 0 → R 1/2, P 1 → 1/2·1. 0.4: TP 1, FP 1 → R unchanged → 0.
    // 0.35: TP 2, FP 1 → R 1, P 2/3 → 1/2·2/3 = 1/3. 0.1: R unchanged → 0. AP = 5/6.
    expect(averagePrecision(yA, pA)).toBeCloseTo(0.8333333333333334, 15);
  });

  it('takes a tied group as one threshold', () => {
    // One threshold 0.5: TP 2, FP 2 → R 1, P 1/2 → AP 1/2.
    expect(averagePrecision(labels([0, 1, 0, 1]), scores([0.5, 0.5, 0.5, 0.5]))).toBe(0.5);
    // 0.9: TP 1, FP 0 → ΔR 1/3 × P 1 = 1/3. 0.6: TP 2, FP 1 → ΔR 1/3 × P 2/3 = 2/9.
    // 0.2: TP 3, FP 2 → ΔR 1/3 × P 3/5 = 1/5. AP = 15/45 + 10/45 + 9/45 = 34/45 = 0.7555….
    expect(
      averagePrecision(labels([0, 1, 1, 0, 1]), scores([0.2, 0.6, 0.2, 0.6, 0.9])),
    ).toBeCloseTo(0.7555555555555555, 15);
  });

  it('is 0 with no positives and 1 with only positives', () => {
    expect(averagePrecision(labels([0, 0, 0]), scores([0.2, 0.7, 0.7]))).toBe(0);
    // 0.7: TP 2 → ΔR 2/3 × P 1; 0.2: TP 3 → ΔR 1/3 × P 1. AP = 1.
    expect(averagePrecision(labels([1, 1, 1]), scores([0.2, 0.7, 0.7]))).toBe(1);
  });
});

describe('logLoss', () => {
  it('is the mean negative log likelihood', () => {
    // −[ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8] / 4
    // = (0.10536051565782628 + 0.5108256237659907 + 1.0498221244986778 + 0.2231435513142097) / 4
    // = 1.8891518152367045 / 4 = 0.47228795380917615.
    expect(logLoss(yA, pA)).toBeCloseTo(0.47228795380917615, 14);
  });

  it('clips p to [1e−15, 1 − 1e−15]', () => {
    // y 1 at p 0 → −ln 1e−15 = 34.538776394910684; y 0 at p 0 → −ln(1 − 1e−15) ≈ 1e−15.
    // Mean (34.538776394910684 + 0.000000000000001) / 2 = 17.269388197455342.
    expect(logLoss(labels([1, 0]), scores([0, 0]))).toBeCloseTo(17.269388197455342, 12);
    // Not symmetric in doubles: 1 − 1e−15 is stored as 0.999999999999999, so y 0 at p 1 gives
    // −ln(1 − 0.999999999999999) = −ln 9.992007221626409e−16 = 34.53957599234088, and y 1 at p 1
    // ≈ 1e−15. Mean 17.26978799617044.
    expect(logLoss(labels([0, 1]), scores([1, 1]))).toBeCloseTo(17.26978799617044, 12);
  });
});

describe('brierScore', () => {
  it('is the mean squared error of p', () => {
    // (0.1² + 0.4² + 0.65² + 0.2²) / 4 = (0.01 + 0.16 + 0.4225 + 0.04) / 4 = 0.6325 / 4 = 0.158125.
    expect(brierScore(yA, pA)).toBeCloseTo(0.158125, 15);
    // (1² + 0²) / 2 = 0.5.
    expect(brierScore(labels([1, 0]), scores([0, 0]))).toBe(0.5);
  });
});

describe('confusionAt', () => {
  it('predicts 1 when p ≥ threshold', () => {
    // ≥ 0.4: 0.4 (y 0) FP, 0.8 (y 1) TP. Below: 0.1 (y 0) TN, 0.35 (y 1) FN.
    expect(confusionAt(yA, pA, 0.4)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
    expect(confusionAt(yA, pA, 0.35)).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(confusionAt(yA, pA, 0.9)).toEqual({ tp: 0, fp: 0, tn: 2, fn: 2 });
    expect(confusionAt(yA, pA, 0)).toEqual({ tp: 2, fp: 2, tn: 0, fn: 0 });
  });
});

describe('bestF1Threshold', () => {
  it('picks the distinct p with the best F1 = 2TP / (2TP + FP + FN)', () => {
    // 0.8: TP 1 FP 0 FN 1 → 2/3. 0.4: TP 1 FP 1 FN 1 → 2/4. 0.35: TP 2 FP 1 FN 0 → 4/5.
    // 0.1: TP 2 FP 2 FN 0 → 4/6. Best 0.35, F1 0.8.
    expect(bestF1Threshold(yA, pA)).toEqual({ threshold: 0.35, f1: 0.8 });
  });

  it('breaks a tie toward the higher threshold', () => {
    // y 1, 0, 0, 1 at p 0.9, 0.6, 0.5, 0.2. 0.9: TP 1 FP 0 FN 1 → 2/3. 0.6: 2/4. 0.5: 2/5.
    // 0.2: TP 2 FP 2 FN 0 → 4/6 = 2/3, tied with 0.9; 0.9 wins.
    const result = bestF1Threshold(labels([1, 0, 0, 1]), scores([0.9, 0.6, 0.5, 0.2]));
    expect(result.threshold).toBe(0.9);
    expect(result.f1).toBeCloseTo(2 / 3, 15);
  });

  it('handles one class', () => {
    // No positives: F1 0 everywhere; the highest p wins the tie.
    expect(bestF1Threshold(labels([0, 0, 0]), scores([0.2, 0.7, 0.4]))).toEqual({
      threshold: 0.7,
      f1: 0,
    });
    // Only positives: 0.7: TP 2 FN 1 → 4/5; 0.2: TP 3 → 6/6 = 1.
    expect(bestF1Threshold(labels([1, 1, 1]), scores([0.2, 0.7, 0.7]))).toEqual({
      threshold: 0.2,
      f1: 1,
    });
  });
});

describe('liftAtTopDecile', () => {
  it('is the top ceil(n/10) rows’ positive rate over the overall rate', () => {
    // ceil(4/10) = 1 row: p 0.8, y 1 → rate 1. Overall 2/4. Lift 1 / 0.5 = 2.
    expect(liftAtTopDecile(yA, pA)).toBe(2);
    // 20 rows, top 2: p 0.95 (y 1) and 0.9 (y 0) → 1/2. Overall 4/20 = 0.2. Lift 2.5.
    const y = new Uint8Array(20);
    const p = new Float64Array(20).fill(0.1);
    [y[3], y[7], y[11], y[15]] = [1, 1, 1, 1];
    p[7] = 0.95;
    p[2] = 0.9;
    expect(liftAtTopDecile(y, p)).toBeCloseTo(2.5, 15);
  });

  it('breaks ties at the cut by row order', () => {
    // All p equal; the top 1 row is row 0.
    // Row 0 is 0 → 0 / (2/4) = 0.
    expect(liftAtTopDecile(labels([0, 1, 0, 1]), scores([0.5, 0.5, 0.5, 0.5]))).toBe(0);
    // Row 0 is 1 → 1 / (2/4) = 2.
    expect(liftAtTopDecile(labels([1, 0, 1, 0]), scores([0.5, 0.5, 0.5, 0.5]))).toBe(2);
    // 11 rows: top ceil(1.1) = 2. p 0.9 at row 10 (y 0) first, then rows 0..9 tie at 0.5, so row 0
    // (y 1). Rate 1/2; overall 1/11; lift 5.5.
    const y = new Uint8Array(11);
    y[0] = 1;
    const p = new Float64Array(11).fill(0.5);
    p[10] = 0.9;
    expect(liftAtTopDecile(y, p)).toBeCloseTo(5.5, 14);
  });

  it('is 0 with no positives and 1 with only positives', () => {
    expect(liftAtTopDecile(labels([0, 0, 0]), scores([0.2, 0.7, 0.4]))).toBe(0);
    // Top 1 row is positive: 1 / (3/3) = 1.
    expect(liftAtTopDecile(labels([1, 1, 1]), scores([0.2, 0.7, 0.4]))).toBe(1);
  });
});

describe('calibrationTable', () => {
  it('bins p into 10 equal-width bins, lower edge inclusive, p = 1 in the last', () => {
    // 0 → bin 1; 0.1 → bin 2 (its lower edge); 0.7 → bin 8; 0.95 and 1 → bin 10.
    const table = calibrationTable(labels([0, 1, 1, 0, 1]), scores([0, 0.1, 0.7, 0.95, 1]));
    expect(table).toHaveLength(10);
    expect(table.map((bin) => bin.bin)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(table.map((bin) => bin.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 2]);
    expect(table[0]).toEqual({
      bin: 1,
      lower: 0,
      upper: 0.1,
      count: 1,
      meanPredicted: 0,
      observedRate: 0,
    });
    expect(table[1]).toMatchObject({ count: 1, meanPredicted: 0.1, observedRate: 1 });
    expect(table[7]).toMatchObject({ count: 1, meanPredicted: 0.7, observedRate: 1 });
    expect(table[7].lower).toBeCloseTo(0.7, 15);
    expect(table[7].upper).toBeCloseTo(0.8, 15);
    // Bin 10: mean p (0.95 + 1)/2 = 0.975; observed 1 of 2 = 0.5.
    expect(table[9].lower).toBeCloseTo(0.9, 15);
    expect(table[9].upper).toBe(1);
    expect(table[9].meanPredicted).toBeCloseTo(0.975, 15);
    expect(table[9].observedRate).toBe(0.5);
    expect(table[2]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
  });

  it('puts every edge value in the bin it opens', () => {
    // p = k/10 for k = 0..9 → bin k + 1 each; 1 → bin 10 too.
    const p = scores([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const table = calibrationTable(new Uint8Array(11), p);
    expect(table.map((bin) => bin.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('takes another bin count', () => {
    // 4 bins: [0, .25) [.25, .5) [.5, .75) [.75, 1]. 0.1, 0.35 → bins 1, 2; 0.4 → 2; 0.8 → 4.
    const table = calibrationTable(yA, pA, 4);
    expect(table.map((bin) => [bin.lower, bin.upper, bin.count])).toEqual([
      [0, 0.25, 1],
      [0.25, 0.5, 2],
      [0.5, 0.75, 0],
      [0.75, 1, 1],
    ]);
    // Bin 2: p 0.4 (y 0) and 0.35 (y 1): mean 0.375, observed 0.5.
    expect(table[1].meanPredicted).toBeCloseTo(0.375, 15);
    expect(table[1].observedRate).toBe(0.5);
    expect(() => calibrationTable(yA, pA, 0)).toThrow(RangeError);
  });
});

describe('rocCurve', () => {
  it('walks the distinct thresholds from (0, 0) to (1, 1)', () => {
    // Start above every p (0.8 + 1 = 1.8). 0.8: TP 1 FP 0 → (0, 0.5). 0.4: FP 1 → (0.5, 0.5).
    // 0.35: TP 2 → (0.5, 1). 0.1: FP 2 → (1, 1).
    expect(rocCurve(yA, pA)).toEqual([
      { fpr: 0, tpr: 0, threshold: 1.8 },
      { fpr: 0, tpr: 0.5, threshold: 0.8 },
      { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
      { fpr: 0.5, tpr: 1, threshold: 0.35 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
    // All tied: one step, (0, 0) to (1, 1).
    expect(rocCurve(labels([0, 1, 0, 1]), scores([0.5, 0.5, 0.5, 0.5]))).toEqual([
      { fpr: 0, tpr: 0, threshold: 1.5 },
      { fpr: 1, tpr: 1, threshold: 0.5 },
    ]);
  });

  it('thins to maxPoints by evenly spaced positions, keeping the ends', () => {
    // 5 points, maxPoints 3: step (5 − 1)/(3 − 1) = 2 → points 0, 2, 4.
    expect(rocCurve(yA, pA, 3)).toEqual([
      { fpr: 0, tpr: 0, threshold: 1.8 },
      { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
    expect(() => rocCurve(yA, pA, 1)).toThrow(RangeError);
  });

  it('thins a long curve to 200 monotone points', () => {
    // 1000 rows, row k at p = 1 − k/1000 (all distinct), positive when k % 3 = 0: 334 positives
    // (k = 0, 3, …, 999), 666 negatives. 1001 points; point j is the top j rows.
    const n = 1000;
    const y = new Uint8Array(n);
    const p = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      p[k] = 1 - k / n;
      y[k] = k % 3 === 0 ? 1 : 0;
    }
    const curve = rocCurve(y, p);
    expect(curve).toHaveLength(200);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0, threshold: 2 });
    // The last: every row, threshold p at k = 999 = 0.001.
    expect(curve[199]).toMatchObject({ fpr: 1, tpr: 1 });
    expect(curve[199].threshold).toBeCloseTo(0.001, 15);
    // Point i of 200 is index round(i·1000/199). i = 1 → round(5.025) = 5: rows k = 0..4, positives
    // k = 0, 3 → TP 2, FP 3; threshold p at k = 4 = 0.996.
    expect(curve[1].tpr).toBeCloseTo(2 / 334, 15);
    expect(curve[1].fpr).toBeCloseTo(3 / 666, 15);
    expect(curve[1].threshold).toBeCloseTo(0.996, 15);
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i].fpr).toBeGreaterThanOrEqual(curve[i - 1].fpr);
      expect(curve[i].tpr).toBeGreaterThanOrEqual(curve[i - 1].tpr);
      expect(curve[i].threshold).toBeLessThan(curve[i - 1].threshold);
    }
  });

  it('is empty when a class is absent', () => {
    expect(rocCurve(labels([0, 0]), scores([0.1, 0.9]))).toEqual([]);
    expect(rocCurve(labels([1, 1]), scores([0.1, 0.9]))).toEqual([]);
  });
});

describe('evaluate', () => {
  it('gathers every metric, the threshold ones at the F1-best threshold', () => {
    const metrics = evaluate(yA, pA);
    expect(metrics).toMatchObject({
      rows: 4,
      positives: 2,
      negatives: 2,
      auc: 0.75,
      threshold: 0.35,
      // At 0.35: TP 2, FP 1, TN 1, FN 0 → accuracy 3/4, recall 1, F1 4/5.
      confusion: { tp: 2, fp: 1, tn: 1, fn: 0 },
      accuracy: 0.75,
      recall: 1,
      f1: 0.8,
      liftTopDecile: 2,
    });
    expect(metrics.prAuc).toBeCloseTo(0.8333333333333334, 15);
    expect(metrics.logLoss).toBeCloseTo(0.47228795380917615, 14);
    expect(metrics.brier).toBeCloseTo(0.158125, 15);
    expect(metrics.precision).toBeCloseTo(2 / 3, 15);
    expect(metrics.calibration.map((bin) => bin.count)).toEqual([0, 1, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(metrics.roc).toHaveLength(5);
  });

  it('copes with one class', () => {
    // No positives: threshold max p (0.7) flags row 1 only: TP 0, FP 1, TN 2, FN 0.
    const metrics = evaluate(labels([0, 0, 0]), scores([0.2, 0.7, 0.4]));
    expect(metrics.auc).toBeNaN();
    expect(metrics).toMatchObject({
      positives: 0,
      negatives: 3,
      prAuc: 0,
      threshold: 0.7,
      confusion: { tp: 0, fp: 1, tn: 2, fn: 0 },
      precision: 0,
      recall: 0,
      f1: 0,
      liftTopDecile: 0,
      roc: [],
    });
    expect(metrics.accuracy).toBeCloseTo(2 / 3, 15);
  });

  it('refuses bad input', () => {
    expect(() => evaluate(labels([0, 1]), scores([0.5]))).toThrow(RangeError);
    expect(() => evaluate(labels([]), scores([]))).toThrow(RangeError);
    expect(() => evaluate(labels([0, 2]), scores([0.5, 0.5]))).toThrow(RangeError);
    expect(() => rocAuc(labels([0, 1]), scores([0.5, NaN]))).toThrow(RangeError);
    expect(() => logLoss(labels([0, 1]), scores([0.5, 1.5]))).toThrow(RangeError);
    expect(() => brierScore(labels([0, 1]), scores([-0.1, 0.5]))).toThrow(RangeError);
  });

  // Speed is the benchmarks' business (npm run bench:ml); this checks a large, tie-heavy input.
  it('evaluates 45,000 rows with many ties', () => {
    const n = 45_000;
    const y = new Uint8Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = ((i * 7919) % 1000) / 1000; // 1000 distinct values, many ties
      y[i] = (i * 31) % 7 === 0 ? 1 : 0;
    }
    const metrics = evaluate(y, p);
    expect(metrics.rows).toBe(n);
    expect(metrics.roc.length).toBeLessThanOrEqual(200);
  });
});
