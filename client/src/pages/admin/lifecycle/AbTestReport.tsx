import { Link } from 'react-router';

import type { AdminAbTestFragment } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge } from '../components/Badge';
import { linkClass, numClass, tableClass, tdClass, thClass } from '../components/styles';
import { formatRateChange } from '../datasets/comparison';
import { significanceText } from './abTest';

/** A test's arms, their conversion, and whether the difference is significant. */
export function AbTestReport({
  test,
  nameOf,
}: {
  test: AdminAbTestFragment;
  nameOf: (modelId: string) => string;
}) {
  const shareOf = (arm: string) => (arm === 'A' ? test.shareA : 1 - test.shareA);
  return (
    <div className="space-y-3">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
        <span className="font-medium">Test</span>
        <span className="font-mono">{test.id}</span>
        <Badge tone={test.status === 'RUNNING' ? 'info' : 'neutral'}>{test.status}</Badge>
        <span>
          started <RelativeTime at={test.startedAt} />
          {test.stoppedAt && (
            <>
              , stopped <RelativeTime at={test.stoppedAt} />
            </>
          )}
        </span>
        {test.winner && <span>Winner: {nameOf(test.winner)}</span>}
      </p>
      <div className="overflow-x-auto">
        <table className={tableClass}>
          <caption className="sr-only">Arms of the A/B test</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={thClass}>
                Arm
              </th>
              <th scope="col" className={thClass}>
                Model
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Share
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Leads
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Outcomes
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Converted
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Conversion
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {test.arms.map((arm) => (
              <tr key={arm.arm}>
                <th scope="row" className={`${tdClass} font-semibold`}>
                  {arm.arm}
                </th>
                <td className={tdClass}>
                  <Link to={`/admin/models/${arm.modelId}`} className={linkClass}>
                    {nameOf(arm.modelId)}
                  </Link>
                </td>
                <td className={numClass}>{formatPercent(shareOf(arm.arm), 0)}</td>
                <td className={numClass}>{formatInteger(arm.leads)}</td>
                <td className={numClass}>{formatInteger(arm.outcomes)}</td>
                <td className={numClass}>{formatInteger(arm.converted)}</td>
                <td className={numClass}>
                  {arm.conversionRate == null ? '—' : formatPercent(arm.conversionRate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-sm text-slate-800">
        A minus B: {formatRateChange(test.significance.difference)}
        {test.significance.z != null && <>, z = {test.significance.z.toFixed(2)}</>}.{' '}
        {significanceText(test.significance.pValue)}
      </p>
    </div>
  );
}
