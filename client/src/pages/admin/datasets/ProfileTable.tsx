import type { AdminDatasetProfileQuery, AdminSetupFlagFragment } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { Badge } from '../components/Badge';
import { numClass, tableClass, tdClass, thClass } from '../components/styles';
import { formatMetric } from '../models/modelLabels';
import { FlagBadge } from './SetupFlags';
import { ROLE_LABEL } from './setup';

export type ProfileColumn = NonNullable<
  AdminDatasetProfileQuery['datasetProfile']['profile']
>['columns'][number];

/**
 * One row per column (the label first): its guessed role and why, missing share, distinct values,
 * the column alone against the outcome (held-out AUC) and the quick model's AUC lost without it.
 * Flagged rows are tinted and carry their flag in words.
 */
export function ProfileTable({
  columns,
  flags,
}: {
  columns: readonly ProfileColumn[];
  flags: ReadonlyMap<string, readonly AdminSetupFlagFragment[]>;
}) {
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <caption className="sr-only">Profile of the columns, the label first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={thClass}>
              Column
            </th>
            <th scope="col" className={thClass}>
              Role
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Missing
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Distinct
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              AUC alone
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Drop-column importance
            </th>
            <th scope="col" className={thClass}>
              Flags
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {columns.map((c) => {
            const own = flags.get(c.name) ?? [];
            const leak = own.some((f) => f.kind === 'POSSIBLE_LEAKAGE');
            const tint = leak ? 'bg-red-50' : own.length > 0 ? 'bg-amber-50' : undefined;
            return (
              <tr key={`${c.kind}:${c.name}`} className={tint}>
                <th scope="row" className={`${tdClass} font-mono font-medium`}>
                  {c.name}
                </th>
                <td className={tdClass}>
                  <span className="font-medium">
                    {c.kind === 'LABEL' ? 'Label (the outcome)' : ROLE_LABEL[c.role]}
                  </span>
                  <div className="text-xs text-slate-600">{c.roleReason}</div>
                </td>
                <td className={numClass}>{formatPercent(c.missingShare)}</td>
                <td className={numClass}>
                  {formatInteger(c.distinct)}
                  {c.distinctCapped && (
                    <>
                      <span aria-hidden="true">+</span>
                      <span className="sr-only"> or more</span>
                    </>
                  )}
                </td>
                <td className={numClass}>{formatMetric(c.singleFeatureAuc)}</td>
                <td className={numClass}>{formatMetric(c.dropColumnImportance)}</td>
                <td className={tdClass}>
                  <div className="flex flex-wrap gap-1">
                    {own.map((f) => (
                      <FlagBadge key={f.kind} flag={f} />
                    ))}
                    {c.kind === 'LABEL' && <Badge tone="info">Outcome</Badge>}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
