import { mergeRanges, windowStart } from './interaction-windows.util';

describe('windowStart', () => {
  it.each([
    [0, 5_000, 0],
    [4_999, 5_000, 0],
    [5_000, 5_000, 5_000],
    [12_345, 5_000, 10_000],
    [-1, 5_000, -5_000],
  ])('puts %i in the %i ms window starting at %i', (at, width, start) => {
    expect(windowStart(at, width)).toBe(start);
  });
});

describe('mergeRanges', () => {
  it('joins overlapping and touching windows, keeps gaps, sorts by time', () => {
    expect(
      mergeRanges([
        { from: 20, until: 25 },
        { from: 0, until: 5 },
        { from: 5, until: 10 },
        { from: 3, until: 7 },
        { from: 12, until: 15 },
        { from: 20, until: 25 },
      ]),
    ).toEqual([
      { from: 0, until: 10 },
      { from: 12, until: 15 },
      { from: 20, until: 25 },
    ]);
  });

  it('keeps a window inside another within it', () => {
    expect(
      mergeRanges([
        { from: 0, until: 30 },
        { from: 10, until: 20 },
      ]),
    ).toEqual([{ from: 0, until: 30 }]);
  });

  it('answers nothing for nothing', () => {
    expect(mergeRanges([])).toEqual([]);
  });
});
