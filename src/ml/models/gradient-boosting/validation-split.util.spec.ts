import { stratifiedValidationSplit } from './validation-split.util';

const labels = (positives: number, negatives: number) =>
  Uint8Array.from({ length: positives + negatives }, (_, i) =>
    i % 4 === 0 && i / 4 < positives ? 1 : 0,
  );

describe('stratifiedValidationSplit', () => {
  const y = labels(50, 150); // 200 rows, every 4th of the first 200 a positive

  it('holds out round(fraction · n) rows of each class, both sides ascending and disjoint', () => {
    const { train, validation } = stratifiedValidationSplit(y, 0.1, 42);
    expect(validation.length).toBe(20);
    expect(Array.from(validation).filter((r) => y[r] === 1).length).toBe(5);
    expect(train.length).toBe(180);
    const all = [...train, ...validation].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i));
    for (const side of [train, validation]) {
      for (let i = 1; i < side.length; i++) expect(side[i]).toBeGreaterThan(side[i - 1]);
    }
  });

  it('is the same for a seed and (here) different for another', () => {
    const a = stratifiedValidationSplit(y, 0.1, 42).validation;
    expect(stratifiedValidationSplit(y, 0.1, 42).validation).toEqual(a);
    expect(stratifiedValidationSplit(y, 0.1, 43).validation).not.toEqual(a);
  });

  it('never takes a class’s last row', () => {
    const { train, validation } = stratifiedValidationSplit(Uint8Array.from([1, 0, 0]), 0.5, 1);
    expect(Array.from(train)).toContain(0);
    expect(validation.length).toBe(1); // round(0.5 · 2) negatives; round(0.5 · 1) = 1 positive → 0
  });
});
