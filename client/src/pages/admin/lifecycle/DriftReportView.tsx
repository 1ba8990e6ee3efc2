import type { AdminDriftReportFragment } from '../../../gql/graphql';
import { formatInteger } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge } from '../components/Badge';
import { numClass, tableClass, tdClass, thClass } from '../components/styles';
import { byPsi } from '../datasets/comparison';
import { modelName } from '../models/modelLabels';

function Flag({ flagged }: { flagged: boolean }) {
  return flagged ? (
    <Badge tone="bad">Drifted: above threshold</Badge>
  ) : (
    <Badge tone="good">Stable</Badge>
  );
}

/** A drift report: the score's PSI and each feature's, the flagged ones said in words. */
export function DriftReportView({ report: r }: { report: AdminDriftReportFragment }) {
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-800">
        {modelName({ type: r.modelType, version: r.modelVersion })}
        {r.deployed ? ' (scoring leads then)' : ''}, checked <RelativeTime at={r.computedAt} /> (
        {r.trigger.toLowerCase()}): {formatInteger(r.baselineRows)} training rows against{' '}
        {formatInteger(r.currentRows)} open leads; threshold PSI {r.threshold}.
      </p>
      <p
        className={`rounded-md p-3 text-sm font-medium ${r.flagged ? 'bg-red-50 text-red-900' : 'bg-emerald-50 text-emerald-900'}`}
      >
        {r.flagged
          ? `Drift flagged${r.score.flagged ? ' in the score' : ''}${r.flaggedFeatures.length > 0 ? `${r.score.flagged ? ' and' : ''} in ${r.flaggedFeatures.join(', ')}` : ''}.`
          : 'No drift above the threshold.'}
      </p>
      {r.retraining && (
        <p className="text-sm text-slate-800">
          Retraining on drift: {r.retraining.action.toLowerCase()}
          {r.retraining.reason ? ` (${r.retraining.reason})` : ''}.
        </p>
      )}
      <div className="overflow-x-auto">
        <table className={tableClass}>
          <caption className="sr-only">
            Population stability index of the score and per feature
          </caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={thClass}>
                Feature
              </th>
              <th scope="col" className={thClass}>
                Kind
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                PSI
              </th>
              <th scope="col" className={thClass}>
                Reading
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            <tr className="bg-slate-50/60">
              <th scope="row" className={`${tdClass} font-semibold`}>
                Score
              </th>
              <td className={tdClass}>Model output</td>
              <td className={numClass}>{r.score.psi.toFixed(3)}</td>
              <td className={tdClass}>
                <Flag flagged={r.score.flagged} />
              </td>
            </tr>
            {byPsi(r.features).map((f) => (
              <tr key={f.name}>
                <th scope="row" className={`${tdClass} font-mono font-normal`}>
                  {f.name}
                </th>
                <td className={tdClass}>{f.kind === 'NUMERIC' ? 'Numeric' : 'Categorical'}</td>
                <td className={numClass}>{f.psi.toFixed(3)}</td>
                <td className={tdClass}>
                  <Flag flagged={f.flagged} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.notes.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-slate-700">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
