import { describe, expect, it } from '@jest/globals';

import { cpuMsOfStat, processCpuMs, withProcessCpu } from './process-cpu.util';

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
