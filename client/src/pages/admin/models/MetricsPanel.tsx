import type { AdminMlModelQuery } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { numClass, tableClass, tdClass, thClass } from '../components/styles';
import { formatMetric } from './modelLabels';

type Metrics = NonNullable<AdminMlModelQuery['mlModel']['metrics']>;

/** Test-set metrics: the ranking ones first, then those at the F1-best threshold. */
export function MetricsPanel({ metrics: m }: { metrics: Metrics }) {
  const items: [string, string, string?][] = [
    ['AUC', formatMetric(m.auc), 'Area under the ROC curve; higher is better.'],
    ['PR-AUC', formatMetric(m.prAuc), 'Average precision; higher is better.'],
    ['Log loss', formatMetric(m.logLoss), 'Lower is better.'],
    ['Brier score', formatMetric(m.brier), 'Lower is better.'],
    ['Accuracy', formatPercent(m.accuracy)],
    ['Precision', formatPercent(m.precision)],
    ['Recall', formatPercent(m.recall)],
    ['F1', formatMetric(m.f1)],
    ['Threshold (F1-best)', formatMetric(m.threshold)],
    ['Lift, top decile', `${formatMetric(m.liftTopDecile, 2)}×`],
  ];
  const c = m.confusion;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {items.map(([label, value, help]) => (
          <div key={label} className="rounded-md bg-slate-50 p-2">
            <dt className="text-xs text-slate-700">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums text-slate-900">{value}</dd>
            {help && <dd className="text-xs text-slate-600">{help}</dd>}
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-700">
        On {formatInteger(m.rows)} test rows: {formatInteger(m.positives)} converted,{' '}
        {formatInteger(m.negatives)} lost.
      </p>
      <table className={`${tableClass} max-w-md`}>
        <caption className="text-left text-sm font-medium text-slate-800">
          Confusion matrix at the threshold
        </caption>
        <thead className="bg-slate-50">
          <tr>
            <td className={tdClass} />
            <th scope="col" className={`${thClass} text-right`}>
              Predicted convert
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Predicted lost
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          <tr>
            <th scope="row" className={`${tdClass} font-medium`}>
              Converted
            </th>
            <td className={numClass}>{formatInteger(c.tp)} true positives</td>
            <td className={numClass}>{formatInteger(c.fn)} false negatives</td>
          </tr>
          <tr>
            <th scope="row" className={`${tdClass} font-medium`}>
              Lost
            </th>
            <td className={numClass}>{formatInteger(c.fp)} false positives</td>
            <td className={numClass}>{formatInteger(c.tn)} true negatives</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
