/**
 * Pure helpers of `npm run bench:scale` (run-scale.ts): the stages a run grows the tenant through,
 * whether the next one fits the time left, and how each measure grows from one stage to the next.
 */

/** The tenant sizes to measure at, ascending, without repeats (BENCH_STAGES, e.g. "10000,100000"). */
export function parseStages(text: string): number[] {
  const stages = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const value = Number(part.replace(/_/g, ''));
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new Error(`BENCH_STAGES: "${part}" is not a positive whole number of leads`);
      }
      return value;
    });
  if (stages.length === 0) throw new Error('BENCH_STAGES names no stage');
  return [...new Set(stages)].sort((a, b) => a - b);
}

/**
 * The seconds the next stage would take, projected from the last one's cost per lead (seeding and
 * the rebuild grow with the leads added and the leads indexed) plus its fixed measuring time.
 */
export function projectedSeconds({
  fromLeads,
  toLeads,
  seedSecondsPerLead,
  rebuildSecondsPerLead,
  fixedSeconds,
}: {
  fromLeads: number;
  toLeads: number;
  seedSecondsPerLead: number;
  rebuildSecondsPerLead: number;
  fixedSeconds: number;
}): number {
  return (
    (toLeads - fromLeads) * seedSecondsPerLead + toLeads * rebuildSecondsPerLead + fixedSeconds
  );
}

/** One stage's measures: each a cost that should grow no faster than the tenant. */
export interface StageMeasures {
  readonly leads: number;
  /** Seconds per lead seeded in this stage (the leads added since the last). */
  readonly seedSecondsPerLead: number;
  /** Seconds per lead of a full ranking-index rebuild. */
  readonly rebuildSecondsPerLead: number;
  /** `leads` p95 at the fixed rate, ms (a page costs the same at any size if it does not grow). */
  readonly pageP95Ms: number;
  /** Redis bytes per lead of the tenant's ranking index. */
  readonly redisBytesPerLead: number;
}

export type Growth = 'flat' | 'linear' | 'FASTER THAN LINEAR';

/** How much a per-lead (or per-page) cost may rise from one stage to the next and still be "flat". */
export const FLAT_TOLERANCE = 1.5;

/**
 * Per measure, the ratio of its cost at each stage to the stage before, and what it says: a
 * per-lead cost (or a page's latency) that stays within FLAT_TOLERANCE means the total grows
 * linearly with the tenant (or a page stays flat); beyond it, the stage grows faster than linearly.
 */
export function growthBetween(
  before: StageMeasures,
  after: StageMeasures,
): Record<Exclude<keyof StageMeasures, 'leads'>, { ratio: number; growth: Growth }> {
  const judge = (a: number, b: number, flat: Growth) => {
    const ratio = a > 0 ? b / a : Number.NaN;
    const growth: Growth = ratio > FLAT_TOLERANCE ? 'FASTER THAN LINEAR' : flat;
    return { ratio, growth };
  };
  return {
    seedSecondsPerLead: judge(before.seedSecondsPerLead, after.seedSecondsPerLead, 'linear'),
    rebuildSecondsPerLead: judge(
      before.rebuildSecondsPerLead,
      after.rebuildSecondsPerLead,
      'linear',
    ),
    pageP95Ms: judge(before.pageP95Ms, after.pageP95Ms, 'flat'),
    redisBytesPerLead: judge(before.redisBytesPerLead, after.redisBytesPerLead, 'linear'),
  };
}

/**
 * Whether the next stage's database engine fits in memory: its resident size projected to the next
 * stage's leads, against what it holds now plus what the machine has available, with a margin (the
 * app, Redis and the page cache need their share). mongo-java-server keeps every collection in its
 * heap, so it is what runs out first (~11 KB a lead of live heap across leads, scores, events,
 * receipts and history with the JVM options of the README's scale section). The projection is the
 * growth per lead between the last two stages when there are two (a capped young generation is a
 * fixed part of the resident size, which bytes per lead of one stage would scale with the leads),
 * else bytes per lead of the one stage.
 */
export function engineFits({
  engineBytes,
  leads,
  nextLeads,
  availableBytes,
  previous,
  margin = 0.8,
}: {
  engineBytes: number;
  leads: number;
  nextLeads: number;
  availableBytes: number;
  /** The stage before, when there is one: its leads and the engine's resident bytes then. */
  previous?: { leads: number; engineBytes: number };
  margin?: number;
}): { fits: boolean; projectedBytes: number; limitBytes: number } {
  const perLead =
    previous && leads > previous.leads && engineBytes > previous.engineBytes
      ? (engineBytes - previous.engineBytes) / (leads - previous.leads)
      : engineBytes / leads;
  const projectedBytes = engineBytes + perLead * (nextLeads - leads);
  const limitBytes = (engineBytes + availableBytes) * margin;
  return { fits: projectedBytes <= limitBytes, projectedBytes, limitBytes };
}

/** `MemAvailable:` of a /proc/meminfo text, in bytes, or null when there is none. */
export function parseMemAvailable(meminfo: string): number | null {
  const match = /^MemAvailable:\s+(\d+)\s+kB\s*$/m.exec(meminfo);
  return match ? Number(match[1]) * 1024 : null;
}
