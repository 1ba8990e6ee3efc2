import { twoProportionTest } from './two-proportion.util';

describe('twoProportionTest', () => {
  it('matches a hand-worked pooled z-test', () => {
    // A: 40 of 200 (0.2), B: 25 of 200 (0.125); pooled 65/400 = 0.1625;
    // se = √(0.1625 · 0.8375 · (1/200 + 1/200)) = 0.0368909; z = 0.075 / 0.0368909 = 2.03302;
    // p = erfc(2.03302 / √2) = 0.042050.
    const test = twoProportionTest({ successes: 40, trials: 200 }, { successes: 25, trials: 200 });
    expect(test.difference).toBeCloseTo(0.075, 12);
    expect(test.z).toBeCloseTo(2.0330224427150916, 10);
    expect(test.pValue).toBeCloseTo(0.04205025566215499, 10);
  });

  it('is symmetric in sign', () => {
    const test = twoProportionTest({ successes: 25, trials: 200 }, { successes: 40, trials: 200 });
    expect(test.z).toBeCloseTo(-2.0330224427150916, 10);
    expect(test.pValue).toBeCloseTo(0.04205025566215499, 10);
  });

  it('has no statistic for an empty arm or an all-same outcome', () => {
    expect(twoProportionTest({ successes: 0, trials: 0 }, { successes: 3, trials: 9 })).toEqual({
      difference: -1 / 3,
      z: null,
      pValue: null,
    });
    expect(
      twoProportionTest({ successes: 0, trials: 5 }, { successes: 0, trials: 9 }).z,
    ).toBeNull();
  });

  it('refuses impossible counts', () => {
    expect(() =>
      twoProportionTest({ successes: 6, trials: 5 }, { successes: 0, trials: 1 }),
    ).toThrow('a.successes');
    expect(() =>
      twoProportionTest({ successes: 0, trials: 1 }, { successes: 0, trials: -1 }),
    ).toThrow('b.trials');
  });
});
