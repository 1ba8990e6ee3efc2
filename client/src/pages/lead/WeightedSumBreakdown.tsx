import { formatDuration } from '../../ui/format';
import {
  featureLabel,
  formatNumber,
  formatPoints,
  formatRatio,
  weightedSumSteps,
  type Term,
} from './breakdownMath';
import { tableCell, tableHead } from './styles';

function formatValue(term: Term, value: number): string {
  return term.feature === 'timeSpent' ? formatDuration(value) : formatNumber(value);
}

/** The weighted sum, term by term, and the arithmetic from the terms to the score. */
export function WeightedSumBreakdown({
  terms,
  rawScore,
  decayFactor,
  daysSinceLastActivity,
}: {
  terms: readonly Term[];
  rawScore: number;
  decayFactor: number;
  daysSinceLastActivity: number | null | undefined;
}) {
  const steps = weightedSumSteps(terms, rawScore, decayFactor);
  return (
    <div className="mt-3 space-y-4">
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">Weighted-sum terms</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={tableHead}>
                Feature
              </th>
              <th scope="col" className={tableHead}>
                Value
              </th>
              <th scope="col" className={tableHead}>
                Cap
              </th>
              <th scope="col" className={tableHead}>
                Normalized
              </th>
              <th scope="col" className={tableHead}>
                Weight
              </th>
              <th scope="col" className={tableHead}>
                Contribution (points)
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {terms.map((term) => (
              <tr key={term.feature}>
                <th scope="row" className={`${tableCell} font-medium`}>
                  {featureLabel(term.feature)}
                </th>
                <td className={`${tableCell} tabular-nums`}>{formatValue(term, term.value)}</td>
                <td className={`${tableCell} tabular-nums`}>{formatValue(term, term.cap)}</td>
                <td className={`${tableCell} tabular-nums`}>{formatRatio(term.normalized)}</td>
                <td className={`${tableCell} tabular-nums`}>{formatRatio(term.weight)}</td>
                <td className={`${tableCell} tabular-nums`}>{formatPoints(term.contribution)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="border-t border-slate-300">
              <th scope="row" colSpan={5} className={`${tableCell} text-right font-medium`}>
                Score (sum of contributions)
              </th>
              <td className={`${tableCell} font-semibold tabular-nums`}>
                {formatPoints(steps.contributionSum)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm text-slate-800 sm:grid-cols-2">
        <div>
          <dt className="font-medium">Weighted sum (Σ weight × normalized)</dt>
          <dd className="tabular-nums">
            {terms
              .map((t) => `${formatRatio(t.weight)} × ${formatRatio(t.normalized)}`)
              .join(' + ')}{' '}
            = {formatRatio(steps.rawScore)}
            {steps.clamped !== steps.rawScore && ` (clamped to ${formatRatio(steps.clamped)})`}
          </dd>
        </div>
        <div>
          <dt className="font-medium">Decay factor</dt>
          <dd className="tabular-nums">
            {formatRatio(decayFactor)}{' '}
            {daysSinceLastActivity == null
              ? '(no activity recorded yet: the score is 0)'
              : `(${formatNumber(daysSinceLastActivity)} days since last activity)`}
          </dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="font-medium">Score</dt>
          <dd className="tabular-nums">
            {formatRatio(steps.clamped)} × {formatRatio(decayFactor)} × 100 ={' '}
            <strong>{formatPoints(steps.score)}</strong>
          </dd>
        </div>
      </dl>
    </div>
  );
}
