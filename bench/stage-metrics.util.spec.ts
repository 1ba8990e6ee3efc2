import { afterEach, describe, expect, it, jest } from '@jest/globals';

import { parseStageSeconds, stageMsPer1k, stageSecondsOf } from './stage-metrics.util';

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

  describe('reading them from the app', () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('asks again once when the first request fails before an answer (a keep-alive connection closed)', async () => {
      const fetchMock = jest
        .spyOn(globalThis, 'fetch')
        .mockRejectedValueOnce(new TypeError('fetch failed'))
        .mockResolvedValueOnce(new Response(EXPOSITION));
      await expect(stageSecondsOf('http://127.0.0.1:1')).resolves.toEqual(
        new Map([
          ['write', 1.5],
          ['batch_read', 0.25],
        ]),
      );
      expect(fetchMock).toHaveBeenCalledTimes(2);
      expect(fetchMock.mock.calls[1][0]).toBe('http://127.0.0.1:1/metrics');
    });

    it('gives up when the second request fails too', async () => {
      jest.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
      await expect(stageSecondsOf('http://127.0.0.1:1')).rejects.toThrow('fetch failed');
    });
  });
});
