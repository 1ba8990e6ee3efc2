import { rocChartData, thresholdLabel, trapezoidAuc } from './roc';

describe('rocChartData', () => {
  it('sorts by false positive rate, then true positive rate, and clamps', () => {
    const data = rocChartData([
      { fpr: 1, tpr: 1, threshold: 0.1 },
      { fpr: 0, tpr: 0.5, threshold: 0.8 },
      { fpr: 0, tpr: 0, threshold: 1.9 },
      { fpr: 0.5, tpr: 1.0000001, threshold: 0.4 },
      { fpr: Number.NaN, tpr: 0.3, threshold: 0.5 },
    ]);
    expect(data).toEqual([
      { fpr: 0, tpr: 0, threshold: 1.9 },
      { fpr: 0, tpr: 0.5, threshold: 0.8 },
      { fpr: 0.5, tpr: 1, threshold: 0.4 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
  });
});

describe('trapezoidAuc', () => {
  it('integrates by hand-worked trapezoids', () => {
    // (0,0)→(0,0.5): width 0. (0,0.5)→(0.5,1): 0.5·(0.5+1)/2 = 0.375. (0.5,1)→(1,1): 0.5·1 = 0.5.
    const auc = trapezoidAuc([
      { fpr: 0, tpr: 0, threshold: 2 },
      { fpr: 0, tpr: 0.5, threshold: 0.9 },
      { fpr: 0.5, tpr: 1, threshold: 0.5 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
    expect(auc).toBeCloseTo(0.875, 10);
  });

  it('is 0.5 on the diagonal and null without a curve', () => {
    expect(
      trapezoidAuc([
        { fpr: 0, tpr: 0, threshold: 1 },
        { fpr: 1, tpr: 1, threshold: 0 },
      ]),
    ).toBe(0.5);
    expect(trapezoidAuc([])).toBeNull();
  });
});

describe('thresholdLabel', () => {
  it('reads the first point’s threshold (max p + 1) as above every score', () => {
    expect(thresholdLabel(1.93)).toBe('above every score');
    expect(thresholdLabel(0.4567)).toBe('0.457');
  });
});
