import { tableFromRows } from '../dataset/dataset-table.util';
import { headToHead } from './head-to-head.util';

/** 10 rows, 5 converted; `x` orders them perfectly, `noise` does not. */
function table() {
  return tableFromRows(
    Array.from({ length: 10 }, (_, i) => ({
      leadId: `L-${i}`,
      label: i >= 5 ? (1 as const) : (0 as const),
      eventTime: 1_000, // one time for all: a stratified split
      features: { x: i, noise: (i * 7) % 10 },
    })),
  );
}

describe('headToHead', () => {
  it('judges both models on the same test rows', () => {
    const result = headToHead({
      table: table(),
      seed: 42,
      testFraction: 0.4,
      champion: () => 0.5,
      challenger: (raw) => (raw.x as number) / 10,
    });
    expect(result.splitMethod).toBe('STRATIFIED');
    expect(result.testRows).toBe(4);
    expect(result.converted).toBe(2);
    // A constant champion ranks nothing: AUC ½, Brier (½)² = ¼ whatever the labels.
    expect(result.champion.auc).toBeCloseTo(0.5, 12);
    expect(result.champion.brier).toBeCloseTo(0.25, 12);
    // x / 10 puts every converted row (x ≥ 5) above every lost one.
    expect(result.challenger.auc).toBe(1);
  });

  it('counts a non-finite probability as ½ and clamps the rest to [0, 1]', () => {
    const result = headToHead({
      table: table(),
      seed: 42,
      testFraction: 0.4,
      champion: () => NaN,
      challenger: () => 7,
    });
    expect(result.champion.brier).toBeCloseTo(0.25, 12);
    // Every row predicted 1: Brier is the share of lost rows, 2 of 4.
    expect(result.challenger.brier).toBeCloseTo(0.5, 12);
  });
});
