import { isJobFinished, latestSnapshot, progressValue } from './trainingJob';

const job = (over: Partial<Parameters<typeof latestSnapshot>[0] & object>) => ({
  status: 'ACTIVE' as const,
  stage: 'FITTING' as const,
  progress: 0.5,
  iteration: 10,
  ...over,
});

describe('latestSnapshot', () => {
  it('keeps whichever snapshot is further along', () => {
    const early = job({ progress: 0.2, iteration: 4 });
    const later = job({ progress: 0.6, iteration: 12 });
    expect(latestSnapshot(early, later)).toBe(later);
    expect(latestSnapshot(later, early)).toBe(later);
  });

  it('prefers a later stage and a finished job', () => {
    const fitting = job({ progress: 0.9 });
    const evaluating = job({ stage: 'EVALUATING', progress: 0.1 });
    expect(latestSnapshot(fitting, evaluating)).toBe(evaluating);
    const failed = job({ status: 'FAILED', stage: 'FITTING', progress: 0.3 });
    expect(latestSnapshot(evaluating, failed)).toBe(failed);
  });

  it('takes the one present', () => {
    const one = job({});
    expect(latestSnapshot(one, null)).toBe(one);
    expect(latestSnapshot(undefined, one)).toBe(one);
    expect(latestSnapshot(null, undefined)).toBeNull();
  });
});

describe('job helpers', () => {
  it('knows the terminal statuses and clamps progress', () => {
    expect(['COMPLETED', 'FAILED', 'CANCELLED'].every((s) => isJobFinished(s as never))).toBe(true);
    expect(isJobFinished('QUEUED')).toBe(false);
    expect(progressValue(1.2)).toBe(1);
    expect(progressValue(-1)).toBe(0);
    expect(progressValue(Number.NaN)).toBe(0);
  });
});
