import { MIN_OUTCOMES, MIN_PER_CLASS, missingOutcomes } from './outcome-minimum.util';

describe('missingOutcomes', () => {
  it('is null from 50 outcomes with 10 of each class', () => {
    expect(MIN_OUTCOMES).toBe(50);
    expect(MIN_PER_CLASS).toBe(10);
    expect(missingOutcomes({ outcomes: 50, converted: 10, lost: 40 })).toBeNull();
    expect(missingOutcomes({ outcomes: 900, converted: 890, lost: 10 })).toBeNull();
  });

  it('counts the outcomes missing in all when both classes have enough', () => {
    const sut = missingOutcomes({ outcomes: 38, converted: 12, lost: 26 });
    expect(sut).toMatchObject({
      status: 'NOT_ENOUGH_DATA',
      have: { outcomes: 38, converted: 12, lost: 26 },
      needed: { outcomes: 12, converted: 0, lost: 0 },
      minimum: { outcomes: 50, perClass: 10 },
    });
    expect(sut?.message).toBe(
      'Not enough outcomes to learn weights from: 38 outcomes (12 converted, 26 lost); ' +
        '12 more outcomes needed. A fit needs 50 outcomes with 10 of each class.',
    );
  });

  it('says which class is short, even with 50 outcomes or more', () => {
    const sut = missingOutcomes({ outcomes: 120, converted: 4, lost: 116 });
    expect(sut?.needed).toEqual({ outcomes: 6, converted: 6, lost: 0 });
    expect(sut?.message).toBe(
      'Not enough outcomes to learn weights from: 120 outcomes (4 converted, 116 lost); ' +
        '6 more outcomes needed, of which at least 6 converted. ' +
        'A fit needs 50 outcomes with 10 of each class.',
    );
  });

  it('names both classes when both are short, and the total when it needs more', () => {
    const sut = missingOutcomes({ outcomes: 1, converted: 1, lost: 0 });
    expect(sut?.needed).toEqual({ outcomes: 49, converted: 9, lost: 10 });
    expect(sut?.message).toContain('1 outcome (1 converted, 0 lost); 49 more outcomes needed, ');
    expect(sut?.message).toContain('of which at least 9 converted and 10 lost.');
  });

  it('says one more outcome in the singular', () => {
    const sut = missingOutcomes({ outcomes: 19, converted: 9, lost: 10 });
    expect(sut?.needed).toEqual({ outcomes: 31, converted: 1, lost: 0 });
    expect(missingOutcomes({ outcomes: 49, converted: 20, lost: 29 })?.message).toContain(
      '; 1 more outcome needed.',
    );
  });

  it('answers with no outcomes at all', () => {
    expect(missingOutcomes({ outcomes: 0, converted: 0, lost: 0 })?.needed).toEqual({
      outcomes: 50,
      converted: 10,
      lost: 10,
    });
  });
});
