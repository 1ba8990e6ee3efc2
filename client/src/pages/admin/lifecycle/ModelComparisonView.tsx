import type { AdminLiveFiguresFragment, AdminModelComparisonQuery } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { numClass, tableClass, tdClass, thClass } from '../components/styles';
import { formatMetric } from '../models/modelLabels';

type Comparison = AdminModelComparisonQuery['modelComparison'];

const TIERS = ['HOT', 'WARM', 'COLD'];

function tierCell(figures: AdminLiveFiguresFragment, tier: string): string {
  const t = figures.byTier.find((x) => x.tier === tier);
  if (!t || t.outcomes === 0) return '—';
  return `${t.conversionRate == null ? '—' : formatPercent(t.conversionRate)} (${formatInteger(t.converted)} of ${formatInteger(t.outcomes)})`;
}

/** Champion and shadow challenger on the leads closed while both scored them. */
export function ModelComparisonView({
  comparison: c,
  nameOf,
}: {
  comparison: Comparison;
  nameOf: (id: string) => string;
}) {
  const rows: [string, AdminLiveFiguresFragment][] = [
    ['Champion (shown)', c.champion],
    ['Challenger (shadow)', c.challenger],
  ];
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-800">
        {formatInteger(c.outcomes)} leads closed while both models scored them,{' '}
        {formatInteger(c.converted)} converted.
      </p>
      <div className="overflow-x-auto">
        <table className={tableClass}>
          <caption className="sr-only">
            Champion against challenger: AUC and conversion by tier
          </caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={thClass}>
                Model
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                AUC
              </th>
              {TIERS.map((t) => (
                <th key={t} scope="col" className={`${thClass} text-right`}>
                  {t} conversion
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map(([role, f]) => (
              <tr key={role}>
                <th scope="row" className={`${tdClass} font-medium`}>
                  {role}: {nameOf(f.modelId)}
                </th>
                <td className={numClass}>{formatMetric(f.auc)}</td>
                {TIERS.map((t) => (
                  <td key={t} className={numClass}>
                    {tierCell(f, t)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
