import type { AdminDatasetVersionsQuery } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge } from '../components/Badge';
import { buttonSecondary, numClass, tableClass, tdClass, thClass } from '../components/styles';

export type DatasetVersionRow = AdminDatasetVersionsQuery['datasetVersions']['items'][number];

/** One row per version: size, label balance, age, whether it is archived or in use. */
export function DatasetVersionsTable({
  items,
  selectedId,
  onLineage,
  onSetup,
  onArchive,
}: {
  items: readonly DatasetVersionRow[];
  selectedId: string | null;
  onLineage: (id: string) => void;
  /** Opens the guided model setup (profile, flags, recommendations) of a version. */
  onSetup?: (id: string) => void;
  onArchive: (version: DatasetVersionRow) => void;
}) {
  if (items.length === 0)
    return (
      <p className="text-sm text-slate-700">No dataset versions yet. Create the first below.</p>
    );
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <caption className="sr-only">Dataset versions, newest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={thClass}>
              Name
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Rows
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Converted
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Lost
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Label rate
            </th>
            <th scope="col" className={thClass}>
              Created
            </th>
            <th scope="col" className={thClass}>
              Status
            </th>
            <th scope="col" className={thClass}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((v) => (
            <tr key={v.id} aria-current={v.id === selectedId ? 'true' : undefined}>
              <th scope="row" className={`${tdClass} font-medium`}>
                {v.name}
                <div className="font-mono text-xs font-normal text-slate-600">{v.id}</div>
              </th>
              <td className={numClass}>{formatInteger(v.rowCount)}</td>
              <td className={numClass}>{formatInteger(v.converted)}</td>
              <td className={numClass}>{formatInteger(v.lost)}</td>
              <td className={numClass}>{formatPercent(v.labelRate)}</td>
              <td className={tdClass}>
                <RelativeTime at={v.createdAt} />
              </td>
              <td className={tdClass}>
                <div className="flex flex-wrap gap-1">
                  {v.archivedAt ? <Badge>Archived</Badge> : <Badge tone="good">Active</Badge>}
                  {v.usedBy.length > 0 && (
                    <Badge tone="info">In use ({v.usedBy.map((u) => u.kind).join(', ')})</Badge>
                  )}
                </div>
              </td>
              <td className={`${tdClass} whitespace-nowrap`}>
                <div className="flex gap-2">
                  <button type="button" className={buttonSecondary} onClick={() => onLineage(v.id)}>
                    Lineage <span className="sr-only">of {v.name}</span>
                  </button>
                  {onSetup && !v.archivedAt && (
                    <button type="button" className={buttonSecondary} onClick={() => onSetup(v.id)}>
                      Setup <span className="sr-only">of {v.name}</span>
                    </button>
                  )}
                  {!v.archivedAt && (
                    <button type="button" className={buttonSecondary} onClick={() => onArchive(v)}>
                      Archive <span className="sr-only">{v.name}</span>
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
