import { apportionPoints } from './score-engagement.util';

/**
 * Parts that add up to more than the total (parts that are not a breakdown of it): the hundredths
 * in excess come off one each, from the smallest remainder up, round and round, so the shown parts
 * still add up to the shown total.
 */
describe('apportionPoints with parts above the total', () => {
  it('takes the excess back evenly, the smallest remainders first', () => {
    // 50.4 + 50.3 + 20 hundredths: 120 whole ones for a total of 100, 20 too many. Taken from the
    // parts by remainder, smallest first (20 → 7, 50.3 → 7, 50.4 → 6): 44, 43, 13.
    expect(apportionPoints(1, [0.504, 0.503, 0.2])).toEqual([0.44, 0.43, 0.13]);
  });

  it('takes from the later of equal remainders first', () => {
    // 60 + 60 for 100: 20 too many, 10 from each, starting with the second.
    expect(apportionPoints(1, [0.6, 0.6])).toEqual([0.5, 0.5]);
    // One too many: the second gives it.
    expect(apportionPoints(1.19, [0.6, 0.6])).toEqual([0.6, 0.59]);
  });

  it('adds up to the total, whether the parts fall short of it or exceed it', () => {
    for (const parts of [
      [3.333, 3.333, 3.334],
      [0.009, 0.009, 0.009],
      [42, 0, 0.015],
    ]) {
      const shown = apportionPoints(5, parts);
      expect(Math.round(shown.reduce((sum, part) => sum + part, 0) * 100)).toBe(500);
    }
  });
});
