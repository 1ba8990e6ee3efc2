import { describe, expect, it } from '@jest/globals';

import {
  engineFits,
  growthBetween,
  parseMemAvailable,
  parseStages,
  projectedSeconds,
  StageMeasures,
} from './scale.util';

describe('parseStages', () => {
  it('reads sizes in any order, with separators, ascending and once each', () => {
    expect(parseStages('100000, 10_000,1000000,10000')).toEqual([10_000, 100_000, 1_000_000]);
  });

  it('refuses what is not a positive whole number, and an empty list', () => {
    expect(() => parseStages('10000,1e3.5')).toThrow('"1e3.5"');
    expect(() => parseStages('0')).toThrow('"0"');
    expect(() => parseStages('-5')).toThrow('"-5"');
    expect(() => parseStages(' , ')).toThrow('names no stage');
  });
});

describe('projectedSeconds', () => {
  it('is the leads to add times the seeding cost, all leads times the rebuild cost, plus the fixed part', () => {
    // 90,000 added at 2 ms, 100,000 rebuilt at 0.1 ms, 60 s of load runs: 180 + 10 + 60.
    expect(
      projectedSeconds({
        fromLeads: 10_000,
        toLeads: 100_000,
        seedSecondsPerLead: 0.002,
        rebuildSecondsPerLead: 0.0001,
        fixedSeconds: 60,
      }),
    ).toBeCloseTo(250, 9);
  });
});

describe('growthBetween', () => {
  const at10k: StageMeasures = {
    leads: 10_000,
    seedSecondsPerLead: 0.002,
    rebuildSecondsPerLead: 0.0001,
    pageP95Ms: 3,
    redisBytesPerLead: 1600,
  };

  it('calls per-lead costs that hold steady linear, and a steady page flat', () => {
    const growth = growthBetween(at10k, {
      ...at10k,
      leads: 100_000,
      seedSecondsPerLead: 0.0024,
      pageP95Ms: 4.4,
    });
    expect(growth.seedSecondsPerLead).toEqual({ ratio: expect.closeTo(1.2, 9), growth: 'linear' });
    expect(growth.pageP95Ms).toEqual({ ratio: expect.closeTo(4.4 / 3, 9), growth: 'flat' });
    expect(growth.redisBytesPerLead).toEqual({ ratio: 1, growth: 'linear' });
  });

  it('flags a per-lead cost that rises past the tolerance as faster than linear', () => {
    const growth = growthBetween(at10k, {
      ...at10k,
      leads: 100_000,
      rebuildSecondsPerLead: 0.0002,
      pageP95Ms: 9,
    });
    expect(growth.rebuildSecondsPerLead.growth).toBe('FASTER THAN LINEAR');
    expect(growth.pageP95Ms.growth).toBe('FASTER THAN LINEAR');
  });

  it('gives no ratio from a zero cost', () => {
    const growth = growthBetween({ ...at10k, pageP95Ms: 0 }, at10k);
    expect(growth.pageP95Ms.ratio).toBeNaN();
    expect(growth.pageP95Ms.growth).toBe('flat');
  });
});

describe('engineFits', () => {
  it('projects the engine at its bytes per lead and compares with a share of what it could have', () => {
    // 2 GB at 100,000 leads: 20 KB a lead; 400,000 need 8 GB; (2 + 10) × 0.8 = 9.6 GB.
    expect(
      engineFits({ engineBytes: 2e9, leads: 100_000, nextLeads: 400_000, availableBytes: 10e9 }),
    ).toEqual({ fits: true, projectedBytes: 8e9, limitBytes: 9.6e9 });
    expect(
      engineFits({ engineBytes: 2e9, leads: 100_000, nextLeads: 1_000_000, availableBytes: 10e9 })
        .fits,
    ).toBe(false);
  });

  it('projects by the growth between the last two stages when there are two', () => {
    // 2 GB at 100,000 and 3 GB at 200,000 leads: 10 KB a lead more; 1,000,000 need 3 + 8 = 11 GB.
    expect(
      engineFits({
        engineBytes: 3e9,
        leads: 200_000,
        nextLeads: 1_000_000,
        availableBytes: 12e9,
        previous: { leads: 100_000, engineBytes: 2e9 },
      }),
    ).toEqual({ fits: true, projectedBytes: 11e9, limitBytes: 12e9 });
    // A stage that did not grow the engine (a collection in between): bytes per lead again.
    expect(
      engineFits({
        engineBytes: 2e9,
        leads: 200_000,
        nextLeads: 400_000,
        availableBytes: 10e9,
        previous: { leads: 100_000, engineBytes: 2.5e9 },
      }).projectedBytes,
    ).toBe(4e9);
  });
});

describe('parseMemAvailable', () => {
  it('reads MemAvailable in bytes', () => {
    expect(parseMemAvailable('MemTotal:  24000 kB\nMemAvailable:    1000 kB\n')).toBe(1_024_000);
    expect(parseMemAvailable('MemTotal: 1 kB\n')).toBeNull();
  });
});
