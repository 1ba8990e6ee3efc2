import { useId, useState } from 'react';

import type { LeadsTableRowFragment } from '../../gql/graphql';
import { COLUMN_COUNT, LeadRow } from './LeadRow';
import { SortHeader } from './SortHeader';
import { BUTTON } from './styles';
import type { LeadSortField, SortOrder } from './urlState';

/** Why there are no rows: nothing matches the filters, or there are no leads at all. */
export type EmptyReason = 'filtered' | 'none';

interface Props {
  /** Null while the first page loads (skeleton rows). */
  rows: readonly LeadsTableRowFragment[] | null;
  sort: LeadSortField;
  order: SortOrder;
  onSort: (field: LeadSortField) => void;
  /** A fetch runs while the rows shown stay. */
  busy: boolean;
  skeletonRows: number;
  ownerName: (ownerId: string | null) => string;
  flashes: Record<string, number>;
  emptyReason: EmptyReason;
  emptyHint: string;
  onClearFilters: () => void;
}

const CAPTIONS: Record<LeadSortField, Record<SortOrder, string>> = {
  SCORE: { DESC: 'Leads ranked by score', ASC: 'Leads ranked by score, lowest first' },
  LAST_ACTIVITY: {
    DESC: 'Leads ranked by last activity, most recent first',
    ASC: 'Leads ranked by last activity, oldest first',
  },
};

const HEAD = 'px-3 py-2 text-left font-semibold text-slate-800';
const HEAD_NUMERIC = 'px-3 py-2 text-right font-semibold text-slate-800';

function SkeletonRows({ count }: { count: number }) {
  return Array.from({ length: count }, (_, i) => (
    <tr key={i} aria-hidden="true" className="border-t border-slate-200">
      {Array.from({ length: COLUMN_COUNT }, (_, j) => (
        <td key={j} className="px-3 py-2">
          <div className="my-1.5 h-4 animate-pulse rounded bg-slate-200" />
        </td>
      ))}
    </tr>
  ));
}

function EmptyRow({
  reason,
  hint,
  onClear,
}: {
  reason: EmptyReason;
  hint: string;
  onClear: () => void;
}) {
  return (
    <tr className="border-t border-slate-200">
      <td colSpan={COLUMN_COUNT} className="px-3 py-10 text-center">
        {reason === 'filtered' ? (
          <>
            <p className="font-medium text-slate-800">No leads match these filters.</p>
            <button type="button" onClick={onClear} className={`mt-3 ${BUTTON}`}>
              Clear filters
            </button>
          </>
        ) : (
          <>
            <p className="font-medium text-slate-800">No leads yet.</p>
            <p className="mt-1 text-sm text-slate-600">{hint}</p>
          </>
        )}
      </td>
    </tr>
  );
}

export function LeadsTable(props: Props) {
  const { rows, sort, order, onSort, busy, ownerName, flashes } = props;
  const captionId = useId();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <table
        className="w-full min-w-[60rem] table-fixed text-sm text-slate-900"
        aria-busy={busy || rows === null}
      >
        <caption id={captionId} className="sr-only">
          {CAPTIONS[sort][order]}
        </caption>
        <colgroup>
          <col className="w-[22%]" />
          <col className="w-[17%]" />
          <col className="w-[8%]" />
          <col className="w-[9%]" />
          <col className="w-[9%]" />
          <col className="w-[9%]" />
          <col className="w-[12%]" />
          <col className="w-[14%]" />
        </colgroup>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={HEAD}>
              Lead Name
            </th>
            <SortHeader
              label="Score"
              field="SCORE"
              sort={sort}
              order={order}
              onSort={onSort}
              directions={{ DESC: 'highest first', ASC: 'lowest first' }}
              className={HEAD_NUMERIC}
            />
            <th scope="col" className={HEAD}>
              Priority
            </th>
            <th scope="col" className={HEAD_NUMERIC}>
              Email Opens
            </th>
            <th scope="col" className={HEAD_NUMERIC}>
              Website Visits
            </th>
            <th scope="col" className={HEAD_NUMERIC}>
              Time Spent
            </th>
            <SortHeader
              label="Last Activity"
              field="LAST_ACTIVITY"
              sort={sort}
              order={order}
              onSort={onSort}
              directions={{ DESC: 'most recent first', ASC: 'oldest first' }}
              className={HEAD}
            />
            <th scope="col" className={HEAD}>
              Owner
            </th>
          </tr>
        </thead>
        <tbody>
          {rows === null ? (
            <SkeletonRows count={props.skeletonRows} />
          ) : rows.length === 0 ? (
            <EmptyRow
              reason={props.emptyReason}
              hint={props.emptyHint}
              onClear={props.onClearFilters}
            />
          ) : (
            rows.map((lead) => (
              <LeadRow
                key={lead.id}
                lead={lead}
                ownerName={ownerName(lead.ownerId)}
                flash={flashes[lead.id]}
                expanded={expanded.has(lead.id)}
                onToggle={() => toggle(lead.id)}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
