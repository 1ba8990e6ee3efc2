import { describe, expect, it } from '@jest/globals';

import { fixed, listing, markdownTable, missedGoals, thousands, yesNo } from './report.util';

describe('text', () => {
  it('formats numbers, goals and tables', () => {
    expect(fixed(0.812345, 4)).toBe('0.8123');
    expect(fixed(null, 2)).toBe('–');
    expect(fixed(NaN, 2)).toBe('–');
    expect(thousands(52_345.6)).toBe('52,346');
    expect(thousands(undefined)).toBe('–');
    expect([yesNo(true), yesNo(false), yesNo(null)]).toEqual(['yes', 'NO', '–']);
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n|---|---|\n| 1 | 2 |');
  });

  it('lists the goals not met, and titled lists only when there is something in them', () => {
    const goals = [
      { measure: 'a', value: 1, goal: '≤ 2', met: true },
      { measure: 'b', value: 3, goal: '≤ 2', met: false },
      { measure: 'c', value: null, goal: '≤ 2', met: null },
    ];
    expect(missedGoals(goals)).toEqual(['b: 3', 'c: null']);
    expect(listing('goals missed', ['b: 3'])).toBe('goals missed:\n- b: 3\n');
    expect(listing('anomalies', [])).toBe('');
  });
});
