import { useId } from 'react';

import type { LeadsTableBreakdownFieldsFragment } from '../../gql/graphql';
import { formatDuration, formatInteger, formatPercent, formatScore } from '../../ui/format';
import {
  explanationOf,
  featureLabel,
  formatPoints,
  formatSigned,
  sumPoints,
  topFactors,
} from './breakdown';
import { NUMERIC } from './styles';

type Breakdown = LeadsTableBreakdownFieldsFragment['breakdown'];

const number2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const number3 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

function featureValue(feature: string, value: number): string {
  return feature === 'timeSpent' ? formatDuration(value) : formatInteger(value);
}

/** The weighted sum: each feature's points, adding up to the score, and the decay in them. */
export function WeightedTerms({ breakdown, score }: { breakdown: Breakdown; score: number }) {
  const total = sumPoints(breakdown.terms);
  const cell = `px-2 py-1 ${NUMERIC}`;
  return (
    <div className="space-y-2">
      <table className="w-full max-w-2xl text-sm">
        <caption className="pb-1 text-left font-medium text-slate-800">
          How the score of {formatScore(score)} adds up (weighted sum)
        </caption>
        <thead className="text-slate-700">
          <tr>
            <th scope="col" className="px-2 py-1 text-left font-medium">
              Feature
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              Value
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              Cap
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              Normalized
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              Weight
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              Contribution
            </th>
          </tr>
        </thead>
        <tbody>
          {breakdown.terms.map((term) => (
            <tr key={term.feature} className="border-t border-slate-200">
              <th scope="row" className="px-2 py-1 text-left font-normal">
                {featureLabel(term.feature)}
              </th>
              <td className={cell}>{featureValue(term.feature, term.value)}</td>
              <td className={cell}>{featureValue(term.feature, term.cap)}</td>
              <td className={cell}>{number3.format(term.normalized)}</td>
              <td className={cell}>{number2.format(term.weight)}</td>
              <td className={cell}>{formatPoints(term.contribution)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-400 font-semibold">
            <th scope="row" colSpan={5} className="px-2 py-1 text-right">
              Score
            </th>
            <td className={cell}>= {formatPoints(total)}</td>
          </tr>
        </tfoot>
      </table>
      <p className="text-slate-700">
        Decay factor <span className="tabular-nums">×{number3.format(breakdown.decayFactor)}</span>
        {breakdown.daysSinceLastActivity !== null
          ? ` (${number2.format(breakdown.daysSinceLastActivity)} days since the last activity)`
          : ' (no activity recorded)'}
        , already applied to each contribution. Weighted sum before decay:{' '}
        <span className="tabular-nums">{number3.format(breakdown.rawScore)}</span>.
      </p>
    </div>
  );
}

function FactorList({
  label,
  factors,
  sign,
}: {
  label: string;
  factors: Breakdown['factors'];
  sign: 'up' | 'down';
}) {
  const id = useId();
  return (
    <div>
      <p id={id} className="font-medium text-slate-800">
        {label}
      </p>
      {factors.length === 0 ? (
        <p className="text-slate-600">None</p>
      ) : (
        <ul aria-labelledby={id} className="mt-1 space-y-0.5">
          {factors.map((factor) => (
            <li key={factor.feature} className="flex gap-2">
              <span
                aria-hidden="true"
                className={sign === 'up' ? 'text-emerald-800' : 'text-red-800'}
              >
                {sign === 'up' ? '▲' : '▼'}
              </span>
              <span
                className={`w-16 shrink-0 font-mono ${NUMERIC} ${sign === 'up' ? 'text-emerald-800' : 'text-red-800'}`}
              >
                {formatSigned(factor.contribution)}
              </span>
              <span>
                {featureLabel(factor.feature)}
                <span className="text-slate-600"> = {factor.value ?? 'missing'}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A trained model: the features that raised and lowered the score most, and how they were found. */
export function ModelFactors({ breakdown, score }: { breakdown: Breakdown; score: number }) {
  const { raising, lowering } = topFactors(breakdown.factors);
  return (
    <div className="space-y-3">
      <p className="text-slate-700">
        Score {formatScore(score)} from the model {breakdown.modelId} (version{' '}
        {breakdown.modelVersion}, {breakdown.modelType.toLowerCase().replaceAll('_', ' ')}
        ): a probability of {formatPercent(breakdown.rawScore)}. Factors in logit units,{' '}
        {explanationOf(breakdown)}.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <FactorList label="Raises the score" factors={raising} sign="up" />
        <FactorList label="Lowers the score" factors={lowering} sign="down" />
      </div>
      {breakdown.baseValue !== null && breakdown.logit !== null && (
        <p className="text-slate-700 tabular-nums">
          Base value {formatSigned(breakdown.baseValue)} + all factors = logit{' '}
          {formatSigned(breakdown.logit)}.
        </p>
      )}
    </div>
  );
}
