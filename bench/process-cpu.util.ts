import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times: 100 on Linux for every architecture in use. */
const TICKS_PER_SECOND = 100;

/**
 * The CPU time a process has used so far (user + system, its own threads), in ms, from
 * /proc/<pid>/stat; undefined where there is no /proc (or the process is gone). Resolution 10 ms.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** utime + stime of a /proc/<pid>/stat line, in ms (the name in parentheses may hold spaces). */
export function cpuMsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3 of the line): utime and stime are fields 14 and 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Runs `work` and answers its result with the CPU ms `pid` used meanwhile (undefined without /proc). */
export async function withProcessCpu<T>(
  pid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: number | undefined }> {
  const before = processCpuMs(pid);
  const result = await work();
  const after = processCpuMs(pid);
  return {
    result,
    cpuMs: before === undefined || after === undefined ? undefined : after - before,
  };
}
