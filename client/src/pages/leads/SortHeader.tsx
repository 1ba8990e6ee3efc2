import { FOCUS_RING } from './styles';
import type { LeadSortField, SortOrder } from './urlState';

interface Props {
  label: string;
  field: LeadSortField;
  sort: LeadSortField;
  order: SortOrder;
  /** How each direction reads: "highest first" / "lowest first". */
  directions: Record<SortOrder, string>;
  onSort: (field: LeadSortField) => void;
  className?: string;
}

/**
 * A sortable column's header: `aria-sort` on the active one; the button's name says what a click
 * does ("Sort by Score, lowest first"), the arrow shows the current direction.
 */
export function SortHeader({ label, field, sort, order, directions, onSort, className }: Props) {
  const active = sort === field;
  // The active column toggles; another one starts descending.
  const next: SortOrder = active && order === 'DESC' ? 'ASC' : 'DESC';
  return (
    <th
      scope="col"
      aria-sort={active ? (order === 'DESC' ? 'descending' : 'ascending') : undefined}
      className={className}
    >
      <button
        type="button"
        onClick={() => onSort(field)}
        aria-label={`Sort by ${label}, ${directions[next]}`}
        className={`inline-flex items-center gap-1 rounded font-semibold text-slate-800 hover:text-indigo-800 ${FOCUS_RING}`}
      >
        {label}
        <span aria-hidden="true" className={active ? 'text-indigo-700' : 'text-slate-600'}>
          {active ? (order === 'DESC' ? '↓' : '↑') : '↕'}
        </span>
      </button>
    </th>
  );
}
