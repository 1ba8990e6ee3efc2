import { formatScore } from './format';

export type Tier = 'HOT' | 'WARM' | 'COLD';

const STYLES: Record<Tier, string> = {
  HOT: 'bg-red-100 text-red-800 ring-red-200',
  WARM: 'bg-amber-100 text-amber-900 ring-amber-200',
  COLD: 'bg-sky-100 text-sky-900 ring-sky-200',
};

/** The score with its tier, readable without colour (the tier is written out). */
export function ScoreBadge({ score, tier }: { score: number; tier: Tier }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-sm font-semibold tabular-nums ring-1 ${STYLES[tier]}`}
    >
      {formatScore(score)}
      <span className="text-xs font-medium">{tier.toLowerCase()}</span>
    </span>
  );
}
