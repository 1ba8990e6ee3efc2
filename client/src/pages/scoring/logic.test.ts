import { CombinedGraphQLErrors } from '@apollo/client';

import { groupOf, sameValues, setValue, toFormValues } from './formValues';
import { findConfigJob, mergeProgress, statusText } from './jobState';
import { bucketRows, describeTierMoves, formatChange, tierRows } from './preview';
import { serverProblems } from './serverErrors';

const config = {
  weights: { emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 },
  caps: { emailOpens: 10, websiteVisits: 20, timeSpent: 600 },
  halfLifeDays: 7,
  thresholds: { hot: 70, warm: 40 },
};

describe('configForm', () => {
  it('edits one field and compares as numbers', () => {
    const base = toFormValues(config);
    expect(base.weights.emailOpens).toBe('0.4');
    const edited = setValue(base, 'caps.timeSpent', '900');
    expect(edited.caps.timeSpent).toBe('900');
    expect(base.caps.timeSpent).toBe('600');
    expect(sameValues(base, edited)).toBe(false);
    expect(sameValues(base, setValue(base, 'weights.emailOpens', '0.40'))).toBe(true);
    expect(sameValues(base, setValue(base, 'thresholds.hot', ''))).toBe(false);
    expect(groupOf('thresholds.warm')).toBe('thresholds');
    expect(groupOf('halfLifeDays')).toBeNull();
  });
});

describe('serverProblems', () => {
  it('puts BAD_USER_INPUT fields next to their inputs', () => {
    const error = new CombinedGraphQLErrors({
      errors: [
        {
          message: 'invalid input',
          extensions: {
            code: 'BAD_USER_INPUT',
            fields: [
              { path: 'weights', messages: ['weights must have a positive sum'] },
              {
                path: 'input.halfLifeDays',
                messages: ['halfLifeDays must not be less than 0.001'],
              },
              { path: 'somethingElse', messages: ['odd'] },
            ],
          },
        },
      ],
    });
    const problems = serverProblems(error);
    expect(problems.fields).toEqual({
      weights: 'weights must have a positive sum',
      halfLifeDays: 'halfLifeDays must not be less than 0.001',
    });
    expect(problems.general).toBe('somethingElse: odd');
  });

  it('keeps other errors as one message', () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: 'Saved by someone else meanwhile', extensions: { code: 'CONFLICT' } }],
    });
    expect(serverProblems(error)).toEqual({
      fields: {},
      general: 'Saved by someone else meanwhile',
    });
  });
});

describe('preview figures', () => {
  const dist = (counts: number[], tiers: [number, number, number]) => ({
    buckets: counts.map((count, i) => ({ from: i * 10, to: i * 10 + 10, count })),
    tiers: { hot: tiers[0], warm: tiers[1], cold: tiers[2] },
    mean: 0,
    median: 0,
  });

  it('pairs buckets lowest first with their change', () => {
    const rows = bucketRows(dist([5, 3], [0, 0, 8]), dist([2, 6], [0, 0, 8]));
    expect(rows).toEqual([
      { range: '0–10', from: 0, current: 5, proposed: 2, change: -3 },
      { range: '10–20', from: 10, current: 3, proposed: 6, change: 3 },
    ]);
  });

  it('counts tiers before and after', () => {
    const rows = tierRows(dist([], [10, 20, 70]), dist([], [22, 18, 60]));
    expect(rows.map((r) => [r.label, r.current, r.proposed, r.change])).toEqual([
      ['Hot', 10, 22, 12],
      ['Warm', 20, 18, -2],
      ['Cold', 70, 60, -10],
    ]);
  });

  it('describes tier moves, largest first', () => {
    expect(
      describeTierMoves([
        { from: 'COLD', to: 'WARM', count: 1 },
        { from: 'WARM', to: 'HOT', count: 12 },
        { from: 'HOT', to: 'HOT', count: 4 },
      ]),
    ).toEqual(['12 leads WARM → HOT', '1 lead COLD → WARM']);
  });

  it('signs changes', () => {
    expect(formatChange(3)).toBe('+3');
    expect(formatChange(-3)).toBe('−3');
    expect(formatChange(0)).toBe('0');
  });
});

describe('job progress', () => {
  const running = { status: 'RUNNING' as const, processed: 500, total: 1000, changed: 40 };

  it('never goes back from a final state or to a lower count', () => {
    const done = { status: 'COMPLETED' as const, processed: 1000, total: 1000, changed: 90 };
    expect(mergeProgress(done, running)).toBe(done);
    expect(mergeProgress(running, { ...running, processed: 400 })).toBe(running);
    expect(mergeProgress(running, { ...running, status: 'QUEUED', processed: 0 })).toBe(running);
    expect(mergeProgress(running, done)).toEqual({ ...done, error: null });
    expect(mergeProgress(null, running)).toBe(running);
  });

  it('finds the job the save started among the newest', () => {
    const jobs = [
      { id: 'c', reason: 'BATCH_RESCORE', createdAt: '2026-12-03T10:00:05Z' },
      { id: 'b', reason: 'CONFIG_CHANGED', createdAt: '2026-12-03T10:00:01Z' },
      { id: 'a', reason: 'CONFIG_CHANGED', createdAt: '2026-12-03T09:00:00Z' },
    ];
    expect(findConfigJob(jobs, '2026-12-03T10:00:00Z')?.id).toBe('b');
    expect(findConfigJob(jobs, '2026-12-03T11:00:00Z')).toBeNull();
    expect(findConfigJob(jobs, null)?.id).toBe('b');
  });

  it('says how it ended', () => {
    expect(statusText({ status: 'COMPLETED', processed: 10, total: 10, changed: 3 })).toBe(
      'Rescoring completed: 3 of 10 leads changed score.',
    );
    expect(statusText({ ...running, status: 'FAILED', error: 'worker died' })).toBe(
      'Rescoring failed: worker died',
    );
  });
});
