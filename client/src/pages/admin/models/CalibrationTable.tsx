import { formatInteger, formatPercent } from '../../../ui/format';
import { numClass, tableClass, thClass } from '../components/styles';
import { calibrationRows, expectedCalibrationError, type CalibrationBinLike } from './calibration';
import { formatMetric } from './modelLabels';

function rate(value: number | null): string {
  return value === null ? '—' : formatPercent(value);
}

function gap(value: number | null): string {
  if (value === null) return '—';
  const points = value * 100;
  return `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)} pts`;
}

/** Predicted probability against the observed conversion rate, per probability bin. */
export function CalibrationTable({ bins }: { bins: readonly CalibrationBinLike[] }) {
  const rows = calibrationRows(bins);
  const ece = expectedCalibrationError(bins);
  return (
    <div>
      <h3 className="text-base font-semibold text-slate-900">Calibration</h3>
      <p className="mt-1 text-sm text-slate-700">
        A well-calibrated model converts about as often as it predicts. Expected calibration error:{' '}
        {ece === null ? '—' : formatMetric(ece)}.
      </p>
      {rows.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">No calibration table for this model.</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">
              Calibration on the test rows, by predicted probability
            </caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={thClass}>
                  Predicted range
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Mean predicted
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Observed rate
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Gap
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Rows
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.bin}>
                  <th scope="row" className="px-3 py-2 font-normal tabular-nums text-slate-800">
                    {r.range}
                  </th>
                  <td className={numClass}>{rate(r.predicted)}</td>
                  <td className={numClass}>{rate(r.observed)}</td>
                  <td className={numClass}>{gap(r.gap)}</td>
                  <td className={numClass}>
                    {formatInteger(r.count)}{' '}
                    <span className="text-slate-600">({formatPercent(r.share, 0)})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
