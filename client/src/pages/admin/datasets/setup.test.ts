import type { AdminSetupRecommendationFragment } from '../../../gql/graphql';
import { deterministicRecommendation, leakFlag, removalFlag } from './setupFixtures';
import {
  columnChoices,
  flagsByColumn,
  formatChoiceValue,
  formatParams,
  isProfiling,
  toApplyInput,
} from './setup';

const rec = deterministicRecommendation as unknown as AdminSetupRecommendationFragment;

describe('guided setup logic', () => {
  it('polls only while PENDING or RUNNING', () => {
    expect(isProfiling('PENDING')).toBe(true);
    expect(isProfiling('RUNNING')).toBe(true);
    expect(isProfiling('READY')).toBe(false);
    expect(isProfiling('FAILED')).toBe(false);
  });

  it('lists every feature column by name, used or not', () => {
    expect(columnChoices(rec).map((c) => [c.name, c.recommended])).toEqual([
      ['age', true],
      ['customer_id', false],
      ['duration', false],
      ['job', true],
    ]);
  });

  it('turns ticked columns into keepColumns and unticked ones into excludeColumns', () => {
    expect(toApplyInput('DETERMINISTIC', rec, new Set(['age', 'job']))).toEqual({
      source: 'DETERMINISTIC',
    });
    expect(toApplyInput('AI', rec, new Set(['duration', 'age', 'customer_id']))).toEqual({
      source: 'AI',
      keepColumns: ['customer_id', 'duration'],
      excludeColumns: ['job'],
    });
  });

  it('groups flags by column, possible leakage first', () => {
    const byColumn = flagsByColumn([
      removalFlag,
      leakFlag,
      { ...removalFlag, column: 'duration' },
    ] as never);
    expect(byColumn.get('duration')?.map((f) => f.kind)).toEqual([
      'POSSIBLE_LEAKAGE',
      'PROPOSE_REMOVAL',
    ]);
    expect(byColumn.get('customer_id')).toHaveLength(1);
  });

  it('writes choice values and params in words', () => {
    expect(formatChoiceValue('["a","b"]')).toBe('a, b');
    expect(formatChoiceValue('[]')).toBe('none');
    expect(formatChoiceValue('"MEDIAN"')).toBe('MEDIAN');
    expect(formatChoiceValue('true')).toBe('true');
    expect(formatChoiceValue('not json')).toBe('not json');
    expect(formatParams({ maxDepth: 3, learningRate: 0.1 })).toEqual([
      'learningRate: 0.1',
      'maxDepth: 3',
    ]);
  });
});
