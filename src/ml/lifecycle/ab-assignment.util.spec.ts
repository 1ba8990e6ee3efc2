import { abArmOf, stableUnitHash } from './ab-assignment.util';

describe('A/B assignment', () => {
  it('is stable: the same test and lead give the same arm every time', () => {
    const first = Array.from({ length: 100 }, (_, i) => abArmOf('test-1', `L-${i}`, 0.5));
    const again = Array.from({ length: 100 }, (_, i) => abArmOf('test-1', `L-${i}`, 0.5));
    expect(again).toEqual(first);
  });

  it('splits sequential ids close to the share asked for', () => {
    for (const share of [0.1, 0.5, 0.8]) {
      let inA = 0;
      for (let i = 0; i < 20_000; i++) if (abArmOf('test-2', `L-${i}`, share) === 'A') inA++;
      // Binomial sd at n = 20,000 is at most 0.0036: 4 sd.
      expect(Math.abs(inA / 20_000 - share)).toBeLessThan(0.015);
    }
  });

  it('assigns independently in another test', () => {
    let same = 0;
    for (let i = 0; i < 10_000; i++)
      if (abArmOf('test-a', `L-${i}`, 0.5) === abArmOf('test-b', `L-${i}`, 0.5)) same++;
    expect(Math.abs(same / 10_000 - 0.5)).toBeLessThan(0.03);
  });

  it('hashes to [0, 1) and refuses a share outside (0, 1)', () => {
    for (const text of ['', 'a', 'L-1', '\u{1F600}']) {
      const h = stableUnitHash(text);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(1);
    }
    expect(() => abArmOf('t', 'L-1', 0)).toThrow('shareA');
    expect(() => abArmOf('t', 'L-1', 1)).toThrow('shareA');
  });
});
