import { Link } from 'react-router';

import type { AdminDecisionFragment } from '../../../gql/graphql';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge } from '../components/Badge';
import { linkClass, tableClass, tdClass, thClass } from '../components/styles';
import { describeFigures, OUTCOME_LABEL, OUTCOME_TONE, RETRAINING_STAGE_LABEL } from './decisions';

function ModelRef({
  id,
  nameOf,
}: {
  id: string | null | undefined;
  nameOf: (id: string) => string;
}) {
  if (!id) return null;
  return (
    <Link to={`/admin/models/${id}`} className={`${linkClass} text-xs`}>
      {nameOf(id)}
    </Link>
  );
}

/** Every retraining: trigger, where it is, what it decided and on which figures. */
export function DecisionsTable({
  decisions,
  nameOf,
}: {
  decisions: readonly AdminDecisionFragment[];
  nameOf: (modelId: string) => string;
}) {
  if (decisions.length === 0)
    return <p className="text-sm text-slate-700">No retraining has run yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <caption className="sr-only">Retraining decisions, newest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={thClass}>
              Started
            </th>
            <th scope="col" className={thClass}>
              Trigger
            </th>
            <th scope="col" className={thClass}>
              Step
            </th>
            <th scope="col" className={thClass}>
              Outcome
            </th>
            <th scope="col" className={thClass}>
              Champion
            </th>
            <th scope="col" className={thClass}>
              Challenger
            </th>
            <th scope="col" className={thClass}>
              Why
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {decisions.map((d) => (
            <tr key={d.id}>
              <th scope="row" className={`${tdClass} font-normal`}>
                <RelativeTime at={d.createdAt} />
              </th>
              <td className={tdClass}>{d.trigger}</td>
              <td className={tdClass}>
                <Badge
                  tone={d.status === 'FAILED' ? 'bad' : d.status === 'RUNNING' ? 'info' : 'neutral'}
                >
                  {d.status}
                </Badge>
                <div className="mt-1 text-xs text-slate-700">{RETRAINING_STAGE_LABEL[d.stage]}</div>
              </td>
              <td className={tdClass}>
                {d.outcome ? (
                  <>
                    <Badge tone={OUTCOME_TONE[d.outcome]}>{d.outcome}</Badge>
                    <div className="mt-1 text-xs text-slate-700">{OUTCOME_LABEL[d.outcome]}</div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className={`${tdClass} text-xs`}>
                <ModelRef id={d.championId} nameOf={nameOf} />
                <div>{describeFigures(d.champion)}</div>
              </td>
              <td className={`${tdClass} text-xs`}>
                <ModelRef id={d.challengerId} nameOf={nameOf} />
                <div>{describeFigures(d.challenger)}</div>
              </td>
              <td className={`${tdClass} text-xs`}>
                {d.failure && <p className="text-red-800">Failed: {d.failure}</p>}
                {d.reasons.length > 0 && (
                  <ul className="list-disc pl-4">
                    {d.reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                )}
                {d.testRows != null && <p className="text-slate-700">{d.testRows} test rows</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
