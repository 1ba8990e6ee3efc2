import { seededRandom, shuffleInPlace } from './random.util';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(first[0]);
  });

  it('is roughly uniform', () => {
    const random = seededRandom(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[Math.floor(random() * 10)] += 1;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('shuffleInPlace', () => {
  it('permutes deterministically for a seed', () => {
    const once = shuffleInPlace([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(1));
    expect([...once].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(shuffleInPlace([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(1))).toEqual(once);
  });
});
