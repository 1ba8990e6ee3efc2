import { describe, expect, it } from '@jest/globals';

import {
  coreShares,
  cpuMsOfStat,
  processCpuMs,
  waitForQuiet,
  withProcessCpu,
} from './process-cpu.util';

describe('cpuMsOfStat', () => {
  it('adds utime and stime, in ms, past a name with spaces and parentheses', () => {
    const stat =
      '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 11 0 1000 1 1';
    expect(cpuMsOfStat(stat)).toBe(2870);
  });
});

describe('processCpuMs', () => {
  it('reads this process, and nothing for a process that is not there', async () => {
    if (process.platform !== 'linux') return;
    const { cpuMs } = await withProcessCpu(process.pid, () => {
      const until = Date.now() + 50;
      while (Date.now() < until);
      return Promise.resolve();
    });
    expect(cpuMs).toBeGreaterThanOrEqual(0);
    expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
    expect(processCpuMs(undefined)).toBeUndefined();
  });
});

describe('coreShares', () => {
  it('is the CPU used over the window, per process; unknown where either reading is', () => {
    expect(coreShares([100, 0, undefined, 50], [600, 30, 10, undefined], 1_000)).toEqual([
      0.5,
      0.03,
      undefined,
      undefined,
    ]);
    expect(coreShares([0], [10], 0)).toEqual([undefined]);
  });
});

describe('waitForQuiet', () => {
  it('answers after one window when nothing is busy, and gives up at maxMs when something is', async () => {
    const idle = await waitForQuiet([undefined, 2 ** 22 + 1], { windowMs: 20 });
    expect(idle.quiet).toBe(true);
    expect(idle.waitedMs).toBeLessThan(1_000);
    if (process.platform !== 'linux') return;
    // This process spinning half of every window: never below 10 % of a core.
    const spin = setInterval(() => {
      const until = Date.now() + 15;
      while (Date.now() < until);
    }, 20);
    try {
      const busy = await waitForQuiet([process.pid], { windowMs: 100, maxMs: 300 });
      expect(busy.quiet).toBe(false);
      expect(busy.waitedMs).toBeGreaterThanOrEqual(300);
      expect(busy.shares[0]).toBeGreaterThan(0.1);
    } finally {
      clearInterval(spin);
    }
  });
});
