import { Link } from 'react-router';

import type { AdminMlModelsQuery } from '../../../gql/graphql';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge } from '../components/Badge';
import { linkClass, numClass, tableClass, tdClass, thClass } from '../components/styles';
import { formatMetric, MODEL_STATUS_LABEL, MODEL_STATUS_TONE, modelName } from './modelLabels';

export type ModelRow = AdminMlModelsQuery['mlModels']['items'][number];

/** Every model version with its test metrics; the one scoring leads is marked in words. */
export function ModelsTable({
  models,
  deployedId,
}: {
  models: readonly ModelRow[];
  deployedId: string | null;
}) {
  if (models.length === 0) return <p className="text-sm text-slate-700">No models yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <caption className="sr-only">
          Models, newest version first, with test-set metrics (higher AUC and PR-AUC are better,
          lower log loss and Brier score are better)
        </caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={thClass}>
              Model
            </th>
            <th scope="col" className={thClass}>
              Status
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              AUC
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              PR-AUC
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Log loss
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Brier
            </th>
            <th scope="col" className={thClass}>
              Trained
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {models.map((m) => {
            const scoring = m.id === deployedId || m.status === 'DEPLOYED';
            return (
              <tr key={m.id} className={scoring ? 'bg-emerald-50/60' : undefined}>
                <th scope="row" className={`${tdClass} font-medium`}>
                  <Link to={`/admin/models/${m.id}`} className={linkClass}>
                    {modelName(m)}{' '}
                    <span className="block font-mono text-xs font-normal text-slate-600">
                      {m.type}
                    </span>
                  </Link>
                </th>
                <td className={tdClass}>
                  <div className="flex flex-wrap items-center gap-1">
                    <Badge tone={MODEL_STATUS_TONE[m.status]}>{MODEL_STATUS_LABEL[m.status]}</Badge>
                    {scoring && (
                      <span className="text-xs font-semibold text-emerald-900">
                        <span aria-hidden="true">★ </span>
                        scoring leads
                      </span>
                    )}
                  </div>
                  {m.failure && <p className="mt-1 text-xs text-red-800">{m.failure}</p>}
                </td>
                <td className={numClass}>{formatMetric(m.metrics?.auc)}</td>
                <td className={numClass}>{formatMetric(m.metrics?.prAuc)}</td>
                <td className={numClass}>{formatMetric(m.metrics?.logLoss)}</td>
                <td className={numClass}>{formatMetric(m.metrics?.brier)}</td>
                <td className={tdClass}>
                  <RelativeTime at={m.trainedAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
