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

describe('headToHead without the champion’s training rows', () => {
  /** 100 rows, every 4th converted; one event time, so the split is stratified (20 test rows). */
  function big() {
    return tableFromRows(
      Array.from({ length: 100 }, (_, i) => ({
        leadId: `L-${String(i).padStart(3, '0')}`,
        label: i % 4 === 0 ? (1 as const) : (0 as const),
        eventTime: 1_000,
        features: { x: i },
      })),
    );
  }
  const testLeads = (seen?: Set<string>) => {
    const ids: string[] = [];
    headToHead({
      table: big(),
      seed: 7,
      championTrainedOn: seen,
      champion: (raw) => {
        ids.push(`L-${String(raw.x).padStart(3, '0')}`);
        return 0.5;
      },
      challenger: () => 0.5,
    });
    return ids;
  };

  it('leaves out the test rows the champion trained on, and says how many', () => {
    const all = testLeads();
    expect(all).toHaveLength(20);
    // The champion saw 4 of the 20 test leads, and leads outside the table (ignored).
    const seen = new Set([...all.slice(0, 4), 'L-999']);
    const result = headToHead({
      table: big(),
      seed: 7,
      championTrainedOn: seen,
      champion: () => 0.5,
      challenger: () => 0.5,
    });
    // 16 fresh rows are under MIN_FRESH_TEST_ROWS (30): with 20 test rows it keeps them all.
    expect(result).toMatchObject({ testRows: 20, leftOutSeenByChampion: 0, seenByChampion: 4 });
  });

  it('judges on the fresh rows alone when enough of both classes remain', () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({
      leadId: `M-${i}`,
      label: i % 4 === 0 ? (1 as const) : (0 as const),
      eventTime: 1_000,
      features: { x: i },
    }));
    const table = tableFromRows(rows);
    const judged: number[] = [];
    const seen = new Set(rows.filter((_, i) => i % 10 === 0).map((row) => row.leadId));
    const result = headToHead({
      table,
      seed: 7,
      championTrainedOn: seen,
      champion: (raw) => {
        judged.push(raw.x as number);
        return 0.5;
      },
      challenger: () => 0.5,
    });
    expect(judged.every((x) => x % 10 !== 0)).toBe(true);
    expect(result.testRows).toBe(judged.length);
    expect(result.testRows + result.leftOutSeenByChampion).toBe(80);
    expect(result.leftOutSeenByChampion).toBeGreaterThan(0);
    expect(result.seenByChampion).toBe(0);
  });
});
