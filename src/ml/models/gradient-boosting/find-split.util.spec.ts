import { emptySplit, findBestSplit } from './find-split.util';

// One feature: value bins 0 and 1, then the missing bin. [Σg, Σh, rows] per bin.
const hist = Float64Array.from([...[-2, 1, 4], ...[1, 1, 4], ...[-1, 0.5, 2]]);
const offsets = Int32Array.from([0, 9]);
const nonMissingBins = Int32Array.from([2]);
// Totals G = −2, H = 2.5, 10 rows; λ = 0: the parent scores G²/H = 4/2.5 = 1.6.
const totals = [-2, 2.5, 10] as const;

function bestOf(minSamplesLeaf: number, l2Regularization = 0) {
  const split = emptySplit();
  const found = findBestSplit(
    hist,
    offsets,
    nonMissingBins,
    ...totals,
    { minSamplesLeaf, l2Regularization },
    split,
  );
  return { found, split };
}

describe('findBestSplit', () => {
  it('tries the missing bin on both sides and keeps the better', () => {
    // bin 0 | bin 1 + missing: 4/1 + 0/1.5 − 1.6 = 2.4
    // bin 0 + missing | bin 1: (−3)²/1.5 + 1²/1 − 1.6 = 6 + 1 − 1.6 = 5.4  ← best
    // bins 0, 1 | missing:     (−1)²/2 + (−1)²/0.5 − 1.6 = 0.5 + 2 − 1.6 = 0.9
    const { found, split } = bestOf(1);
    expect(found).toBe(true);
    expect(split.feature).toBe(0);
    expect(split.bin).toBe(0);
    expect(split.missingLeft).toBe(true);
    expect(split.gain).toBeCloseTo(5.4, 12);
    expect([split.leftG, split.leftH, split.leftCount]).toEqual([-3, 1.5, 6]);
  });

  it('drops splits leaving a child under minSamplesLeaf rows', () => {
    // 4 rows a side at least: only "bin 0 | bin 1 + missing" (4 | 6) and its mirror (6 | 4).
    expect(bestOf(4).split.gain).toBeCloseTo(5.4, 12);
    // 5 a side: every split leaves 4 or 2 on one side.
    expect(bestOf(5).found).toBe(false);
  });

  it('adds λ to every hessian sum', () => {
    // λ = 1: parent 4/3.5; bin 0 + missing | bin 1: 9/2.5 + 1/2 − 4/3.5 = 3.6 + 0.5 − 1.142857…
    const { split } = bestOf(1, 1);
    expect(split.missingLeft).toBe(true);
    expect(split.gain).toBeCloseTo(3.6 + 0.5 - 4 / 3.5, 12);
  });

  it('sends missing values to the larger side when the node had none', () => {
    // No missing rows: bins 0 | 1 with 3 and 5 rows.
    const noMissing = Float64Array.from([...[3, 1, 3], ...[-3, 1, 5], ...[0, 0, 0]]);
    const split = emptySplit();
    expect(
      findBestSplit(
        noMissing,
        offsets,
        nonMissingBins,
        0,
        2,
        8,
        { minSamplesLeaf: 1, l2Regularization: 0 },
        split,
      ),
    ).toBe(true);
    expect(split.bin).toBe(0);
    expect(split.missingLeft).toBe(false);
    expect(split.gain).toBeCloseTo(18, 12);
  });

  it('finds nothing in a pure node, despite rounding', () => {
    // Three bins of identical rows (g = 0.625, h = 0.234375 each): every split gains 0 exactly.
    const pure = Float64Array.from([...[0.625, 0.234375, 1], ...[1.25, 0.46875, 2], ...[0, 0, 0]]);
    const split = emptySplit();
    expect(
      findBestSplit(
        pure,
        offsets,
        nonMissingBins,
        1.875,
        0.703125,
        3,
        { minSamplesLeaf: 1, l2Regularization: 0 },
        split,
      ),
    ).toBe(false);
  });
});
