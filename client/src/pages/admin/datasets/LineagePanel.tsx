import { useQuery } from '@apollo/client/react';

import type { AdminLineageNodeFragment } from '../../../gql/graphql';
import { formatInteger } from '../../../ui/format';
import { ErrorState } from '../../../ui/ErrorState';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Spinner } from '../../../ui/Spinner';
import { Badge } from '../components/Badge';
import { Section } from '../components/Section';
import { buttonSecondary, numClass, tableClass, tdClass, thClass } from '../components/styles';
import { DATASET_LINEAGE } from './operations';
import { depthLabel, describeTransformation } from './transformation';

/** A version's ancestors (root first), itself and its descendants, each with its transformation. */
export function LineagePanel({
  id,
  onSelect,
  onClose,
}: {
  id: string;
  onSelect: (id: string) => void;
  onClose: () => void;
}) {
  const { data, loading, error, refetch } = useQuery(DATASET_LINEAGE, { variables: { id } });
  const lineage = data?.datasetLineage;
  const nodes: AdminLineageNodeFragment[] = lineage
    ? [...lineage.ancestors].reverse().concat(lineage.version, lineage.descendants)
    : [];

  return (
    <Section
      title={lineage ? `Lineage of “${lineage.version.name}”` : 'Lineage'}
      actions={
        <button type="button" className={buttonSecondary} onClick={onClose}>
          Close lineage
        </button>
      }
    >
      {error && !lineage ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !lineage && loading ? (
        <Spinner label="Loading lineage" />
      ) : lineage ? (
        <div className="overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">
              Ancestors from the root, the version, then its descendants
            </caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={thClass}>
                  Relation
                </th>
                <th scope="col" className={thClass}>
                  Name
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Rows
                </th>
                <th scope="col" className={thClass}>
                  Created
                </th>
                <th scope="col" className={thClass}>
                  Transformation
                </th>
                <th scope="col" className={thClass}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {nodes.map((n) => (
                <tr key={n.id} aria-current={n.depth === 0 ? 'true' : undefined}>
                  <td className={tdClass}>
                    <span className={n.depth === 0 ? 'font-semibold' : undefined}>
                      {depthLabel(n.depth)}
                    </span>
                  </td>
                  <th scope="row" className={`${tdClass} font-medium`}>
                    {n.name} {n.archived && <Badge>Archived</Badge>}
                  </th>
                  <td className={numClass}>{formatInteger(n.rowCount)}</td>
                  <td className={tdClass}>
                    <RelativeTime at={n.createdAt} />
                  </td>
                  <td className={`${tdClass} text-xs`}>
                    <ul>
                      {describeTransformation(n.transformation).map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                    </ul>
                  </td>
                  <td className={tdClass}>
                    {n.depth !== 0 && (
                      <button
                        type="button"
                        className={buttonSecondary}
                        onClick={() => onSelect(n.id)}
                      >
                        Lineage <span className="sr-only">of {n.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {nodes.length === 1 && (
            <p className="mt-2 text-sm text-slate-700">No parent and no children.</p>
          )}
        </div>
      ) : null}
    </Section>
  );
}
