import type { ReactNode } from 'react';

import type { AdminLifecycleFragment } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { modelTypeLabel } from '../models/modelLabels';

/** The lifecycle settings in words. */
export function LifecycleSettingsView({ settings: s }: { settings: AdminLifecycleFragment }) {
  const params = Object.entries(s.params)
    .map(
      ([k, v]) =>
        `${k} ${v === null ? 'none' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)}`,
    )
    .join(', ');
  const rows: [string, ReactNode][] = [
    [
      'Scheduled retraining',
      s.retrainingEnabled
        ? `On, every ${s.cadenceDays} day${s.cadenceDays === 1 ? '' : 's'}`
        : 'Off',
    ],
    [
      'Next run',
      s.retrainingEnabled ? <RelativeTime at={s.nextRunAt} empty="not scheduled" /> : '—',
    ],
    ['Challenger', modelTypeLabel(s.modelType)],
    ['Challenger params', params || 'defaults'],
    [
      'Promotion rule',
      `AUC may drop by at most ${s.promotion.maxAucDrop}, Brier score may worsen by at most ${formatPercent(s.promotion.maxBrierIncrease)}; a trained champion older than ${s.promotion.maxChampionAgeDays} days is replaced anyway`,
    ],
    ['Drift threshold (PSI)', String(s.driftThreshold)],
    ['Retrain on drift', s.retrainOnDrift ? 'Yes' : 'No'],
    [
      'Minimum data',
      `${formatInteger(s.minConverted)} converted and ${formatInteger(s.minLost)} lost leads`,
    ],
    [
      'Transformation',
      s.transformation ? JSON.stringify(s.transformation) : 'each new version’s default',
    ],
    [
      'Last changed',
      s.custom ? <RelativeTime at={s.updatedAt} empty="unknown" /> : 'never (defaults)',
    ],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-slate-700">{label}</dt>
          <dd className="break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
