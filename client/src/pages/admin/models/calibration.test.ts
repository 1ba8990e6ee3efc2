import { calibrationRows, expectedCalibrationError } from './calibration';

const bins = [
  { bin: 1, lower: 0.1, upper: 0.2, meanPredicted: 0.15, observedRate: 0.25, count: 20 },
  { bin: 0, lower: 0, upper: 0.1, meanPredicted: 0.05, observedRate: 0.0, count: 60 },
  { bin: 2, lower: 0.2, upper: 0.3, meanPredicted: null, observedRate: null, count: 0 },
  { bin: 9, lower: 0.9, upper: 1, meanPredicted: 0.95, observedRate: 0.9, count: 20 },
];

describe('calibrationRows', () => {
  it('orders bins and works out gaps and shares', () => {
    const rows = calibrationRows(bins);
    expect(rows.map((r) => r.bin)).toEqual([0, 1, 2, 9]);
    expect(rows[0]).toEqual({
      bin: 0,
      range: '0.0–0.1',
      predicted: 0.05,
      observed: 0,
      gap: -0.05,
      count: 60,
      share: 0.6,
    });
    expect(rows[1].gap).toBeCloseTo(0.1, 12);
    expect(rows[1].share).toBe(0.2);
    // An empty bin has no rates and no gap.
    expect(rows[2]).toMatchObject({ predicted: null, observed: null, gap: null, share: 0 });
    expect(rows[3].range).toBe('0.9–1.0');
  });
});

describe('expectedCalibrationError', () => {
  it('weights each bin’s gap by its rows', () => {
    // 0.6·0.05 + 0.2·0.10 + 0.2·0.05 = 0.03 + 0.02 + 0.01 = 0.06
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.06, 12);
  });

  it('is null without rows', () => {
    expect(expectedCalibrationError([])).toBeNull();
  });
});
