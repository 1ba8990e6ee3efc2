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

/** Share of one core each process used over a window: (cpu ms now − before) / window ms. */
export function coreShares(
  before: readonly (number | undefined)[],
  after: readonly (number | undefined)[],
  windowMs: number,
): (number | undefined)[] {
  return before.map((was, i) => {
    const now = after[i];
    return was === undefined || now === undefined || windowMs <= 0
      ? undefined
      : (now - was) / windowMs;
  });
}

/**
 * Waits until every process of `pids` used less than `maxShare` of a core over one `windowMs`
 * (what a finished batch leaves behind, its garbage and the engine's, has been worked off), for
 * at most `maxMs`. Answers how long it waited and the last window's shares (undefined: no /proc).
 */
export async function waitForQuiet(
  pids: readonly (number | undefined)[],
  { maxShare = 0.1, windowMs = 1_000, maxMs = 60_000 } = {},
): Promise<{ waitedMs: number; quiet: boolean; shares: (number | undefined)[] }> {
  const started = performance.now();
  for (;;) {
    const before = pids.map(processCpuMs);
    const from = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const shares = coreShares(before, pids.map(processCpuMs), performance.now() - from);
    const quiet = shares.every((share) => share === undefined || share < maxShare);
    const waitedMs = performance.now() - started;
    if (quiet || waitedMs >= maxMs) return { waitedMs, quiet, shares };
  }
}
