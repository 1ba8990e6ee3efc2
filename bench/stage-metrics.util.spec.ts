import { describe, expect, it } from '@jest/globals';

import { parseStageSeconds, stageMsPer1k } from './stage-metrics.util';

const EXPOSITION = [
  '# HELP leadscoring_scoring_stage_seconds time in each stage',
  '# TYPE leadscoring_scoring_stage_seconds histogram',
  'leadscoring_scoring_stage_seconds_bucket{le="0.005",stage="write"} 3',
  'leadscoring_scoring_stage_seconds_sum{stage="write"} 1.5',
  'leadscoring_scoring_stage_seconds_count{stage="write"} 3',
  'leadscoring_scoring_stage_seconds_sum{service="api",stage="batch_read"} 0.25',
  'leadscoring_other_seconds_sum{stage="write"} 99',
].join('\n');

describe('stage metrics', () => {
  it('reads the sum of each stage and nothing else', () => {
    expect([...parseStageSeconds(EXPOSITION)]).toEqual([
      ['write', 1.5],
      ['batch_read', 0.25],
    ]);
  });

  it('gives milliseconds per 1,000 leads between two readings, largest first', () => {
    const before = new Map([
      ['write', 1.5],
      ['batch_read', 0.25],
    ]);
    const after = new Map([
      ['write', 3.5],
      ['batch_read', 0.75],
      ['history', 1],
      ['events', 0],
    ]);
    // 2,000 leads: write 2 s → 1,000 ms per 1,000; history 1 s → 500; batch_read 0.5 s → 250.
    expect(stageMsPer1k(before, after, 2_000)).toEqual([
      ['write', 1000],
      ['history', 500],
      ['batch_read', 250],
    ]);
    expect(stageMsPer1k(before, after, 0)).toEqual([]);
  });
});
