import { describe, expect, it } from '@jest/globals';

import { parseVmRssKb, summarizeRss } from './rss.util';

describe('parseVmRssKb', () => {
  it('reads the VmRSS line of /proc/<pid>/status', () => {
    const status = [
      'Name:\tnode',
      'VmPeak:\t 1200000 kB',
      'VmHWM:\t  210000 kB',
      'VmRSS:\t  204800 kB',
      'RssAnon:\t  150000 kB',
      '',
    ].join('\n');
    expect(parseVmRssKb(status)).toBe(204800);
  });

  it('answers null when there is no VmRSS (a zombie, or not a status file)', () => {
    expect(parseVmRssKb('Name:\tjava\nState:\tZ (zombie)\n')).toBeNull();
    expect(parseVmRssKb('')).toBeNull();
  });
});

describe('summarizeRss', () => {
  const s = (atMs: number, kb: number | null) => ({ atMs, kb });

  it('compares the end and the peak after the warm-up with the last reading of the warm-up', () => {
    const figures = summarizeRss(
      [s(0, 51200), s(1000, 204800), s(2000, 102400), s(3000, 112640), s(4000, 107520)],
      2000,
    );
    expect(figures).toEqual({
      samples: 5,
      missing: 0,
      warmupEndMb: 100,
      endMb: 105,
      maxAfterWarmupMb: 110,
      maxMb: 200,
      growthPct: 5,
      peakGrowthPct: 10,
    });
  });

  it('skips failed readings and takes the last reading before the end of the warm-up', () => {
    const figures = summarizeRss([s(0, 1024), s(1500, 2048), s(2500, null), s(3000, 1536)], 2000);
    expect(figures.warmupEndMb).toBe(2);
    expect(figures.endMb).toBe(1.5);
    expect(figures.growthPct).toBe(-25);
    expect(figures.peakGrowthPct).toBe(0);
    expect(figures.missing).toBe(1);
  });

  it('has no growth without a reading in the warm-up, and nothing without readings', () => {
    expect(summarizeRss([s(3000, 1024)], 2000)).toMatchObject({
      warmupEndMb: null,
      growthPct: null,
      endMb: 1,
    });
    expect(summarizeRss([], 2000)).toMatchObject({
      samples: 0,
      endMb: null,
      maxMb: null,
      growthPct: null,
    });
  });
});
