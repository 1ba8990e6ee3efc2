/**
 * Resident memory of processes over a load run, read from /proc/<pid>/status (Linux), and how it
 * grew after the warm-up: the figure of a leak, as opposed to a heap that grows to its working size
 * while the first requests come in.
 */

/** The `VmRSS:` line of a /proc/<pid>/status text in kB, or null if there is none (a zombie). */
export function parseVmRssKb(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB\s*$/m.exec(status);
  return match ? Number(match[1]) : null;
}

/** One reading: when (ms, the run's clock) and the RSS in kB, null when it could not be read. */
export interface RssSample {
  readonly atMs: number;
  readonly kb: number | null;
}

export interface RssFigures {
  /** Readings taken and readings that failed (the process gone, or no /proc). */
  readonly samples: number;
  readonly missing: number;
  /** The last reading at or before the end of the warm-up, in MB (1024 kB). */
  readonly warmupEndMb: number | null;
  /** The last reading, in MB. */
  readonly endMb: number | null;
  /** The largest reading after the warm-up (the end of the warm-up included), in MB. */
  readonly maxAfterWarmupMb: number | null;
  /** The largest reading of the whole run, in MB. */
  readonly maxMb: number | null;
  /** (end − end of warm-up) / end of warm-up, in %. */
  readonly growthPct: number | null;
  /** (max after warm-up − end of warm-up) / end of warm-up, in %. */
  readonly peakGrowthPct: number | null;
}

const mb = (kb: number): number => kb / 1024;

/** The figures of one process's readings (in time order) for a warm-up that ended at `warmupEndMs`. */
export function summarizeRss(samples: readonly RssSample[], warmupEndMs: number): RssFigures {
  const read = samples.filter((s): s is { atMs: number; kb: number } => s.kb !== null);
  const beforeEnd = read.filter((s) => s.atMs <= warmupEndMs);
  const warmupEnd = beforeEnd.length > 0 ? beforeEnd[beforeEnd.length - 1].kb : null;
  const after = read.filter((s) => s.atMs >= warmupEndMs).map((s) => s.kb);
  if (warmupEnd !== null) after.push(warmupEnd);
  const end = read.length > 0 ? read[read.length - 1].kb : null;
  const maxAfter = after.length > 0 ? Math.max(...after) : null;
  const growth = (to: number | null) =>
    warmupEnd !== null && warmupEnd > 0 && to !== null
      ? ((to - warmupEnd) / warmupEnd) * 100
      : null;
  return {
    samples: samples.length,
    missing: samples.length - read.length,
    warmupEndMb: warmupEnd === null ? null : mb(warmupEnd),
    endMb: end === null ? null : mb(end),
    maxAfterWarmupMb: maxAfter === null ? null : mb(maxAfter),
    maxMb: read.length > 0 ? mb(Math.max(...read.map((s) => s.kb))) : null,
    growthPct: growth(end),
    peakGrowthPct: growth(maxAfter),
  };
}
