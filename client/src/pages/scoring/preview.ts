import type { PriorityTier, ScoringPagePreviewQuery } from '../../gql/graphql';

/** Pure figures of the distribution preview (scoringConfigPreview), for the chart and its tables. */

export type ScoringConfigPreview = ScoringPagePreviewQuery['scoringConfigPreview'];
export type ScoreDistribution = ScoringConfigPreview['current'];
export type ScoreBucket = ScoreDistribution['buckets'][number];
export type TierMove = ScoringConfigPreview['tierMoves'][number];
export type Tier = PriorityTier;

export interface BucketRow {
  /** "0–10", …, "90–100". */
  range: string;
  from: number;
  current: number;
  proposed: number;
  change: number;
}

const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function bucketLabel(bucket: Pick<ScoreBucket, 'from' | 'to'>): string {
  return `${oneDecimal.format(bucket.from)}–${oneDecimal.format(bucket.to)}`;
}

/** Current and proposed counts side by side, one row per bucket, lowest scores first. */
export function bucketRows(current: ScoreDistribution, proposed: ScoreDistribution): BucketRow[] {
  const rows = new Map<number, BucketRow>();
  const row = (bucket: ScoreBucket): BucketRow => {
    let found = rows.get(bucket.from);
    if (!found) {
      found = { range: bucketLabel(bucket), from: bucket.from, current: 0, proposed: 0, change: 0 };
      rows.set(bucket.from, found);
    }
    return found;
  };
  for (const bucket of current.buckets) row(bucket).current += bucket.count;
  for (const bucket of proposed.buckets) row(bucket).proposed += bucket.count;
  return [...rows.values()]
    .sort((a, b) => a.from - b.from)
    .map((r) => ({ ...r, change: r.proposed - r.current }));
}

export interface TierRow {
  tier: Tier;
  label: string;
  current: number;
  proposed: number;
  change: number;
}

export function tierRows(current: ScoreDistribution, proposed: ScoreDistribution): TierRow[] {
  const tiers: [Tier, keyof ScoreDistribution['tiers'], string][] = [
    ['HOT', 'hot', 'Hot'],
    ['WARM', 'warm', 'Warm'],
    ['COLD', 'cold', 'Cold'],
  ];
  return tiers.map(([tier, key, label]) => ({
    tier,
    label,
    current: current.tiers[key],
    proposed: proposed.tiers[key],
    change: proposed.tiers[key] - current.tiers[key],
  }));
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "+3", "−3" (a real minus sign), "0": a change readable without colour. */
export function formatChange(
  change: number,
  format: (n: number) => string = (n) => integer.format(n),
) {
  if (change > 0) return `+${format(change)}`;
  if (change < 0) return `−${format(-change)}`;
  return format(0);
}

export function formatScoreValue(n: number): string {
  return oneDecimal.format(n);
}

/** "12 leads WARM → HOT", largest moves first (ties: the order the API gave). */
export function describeTierMoves(moves: readonly TierMove[]): string[] {
  return moves
    .filter((m) => m.count > 0 && m.from !== m.to)
    .map((m, index) => ({ m, index }))
    .sort((a, b) => b.m.count - a.m.count || a.index - b.index)
    .map(
      ({ m }) =>
        `${integer.format(m.count)} ${m.count === 1 ? 'lead' : 'leads'} ${m.from} → ${m.to}`,
    );
}
