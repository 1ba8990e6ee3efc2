import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { numClass, tableClass, thClass } from '../components/styles';
import { formatMetric } from './modelLabels';
import { DIAGONAL, rocChartData, thresholdLabel, trapezoidAuc, type RocPointLike } from './roc';

/** The ROC curve with the chance diagonal, the AUC in its title and every point as a table. */
export function RocChart({ points, auc }: { points: readonly RocPointLike[]; auc: number | null }) {
  const data = rocChartData(points);
  const shownAuc = auc ?? trapezoidAuc(data);
  const title = `ROC curve (AUC ${formatMetric(shownAuc)})`;
  if (data.length < 2)
    return (
      <div>
        <h3 className="text-base font-semibold text-slate-900">ROC curve</h3>
        <p className="mt-1 text-sm text-slate-700">
          No ROC curve: the test rows hold a single class, or the model has no test set.
        </p>
      </div>
    );
  return (
    <figure aria-labelledby="roc-title">
      <h3 id="roc-title" className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      <p className="text-sm text-slate-700">
        True positive rate against false positive rate on the test rows; the dashed diagonal is a
        model that guesses.
      </p>
      <div className="mt-2 h-80 w-full max-w-xl" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            accessibilityLayer={false}
            data={data}
            margin={{ top: 8, right: 16, bottom: 24, left: 16 }}
          >
            <CartesianGrid stroke="#e2e8f0" />
            <XAxis
              type="number"
              dataKey="fpr"
              domain={[0, 1]}
              tickCount={6}
              stroke="#475569"
              label={{ value: 'False positive rate', position: 'insideBottom', offset: -12 }}
            />
            <YAxis
              type="number"
              domain={[0, 1]}
              tickCount={6}
              stroke="#475569"
              label={{
                value: 'True positive rate',
                angle: -90,
                position: 'insideLeft',
                offset: -4,
                style: { textAnchor: 'middle' },
              }}
            />
            <ReferenceLine
              segment={DIAGONAL}
              stroke="#64748b"
              strokeDasharray="6 4"
              ifOverflow="visible"
            />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : value)}
            />
            <Line
              type="linear"
              dataKey="tpr"
              name="True positive rate"
              stroke="#4338ca"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
          ROC points as a table ({data.length} points)
        </summary>
        <div
          className="max-h-80 overflow-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
          tabIndex={0}
          role="region"
          aria-label="ROC points (scrollable)"
        >
          <table className={tableClass}>
            <caption className="sr-only">{title}: each threshold’s rates</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={`${thClass} text-right`}>
                  Threshold
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  False positive rate
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  True positive rate
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.map((p, i) => (
                <tr key={i}>
                  <td className={numClass}>{thresholdLabel(p.threshold)}</td>
                  <td className={numClass}>{p.fpr.toFixed(3)}</td>
                  <td className={numClass}>{p.tpr.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
