import { useId } from 'react';

import { FIELD, LABEL } from './styles';
import { useDebouncedText } from './useDebouncedText';
import {
  LEAD_STATUSES,
  parseMinScore,
  type LeadsFilters as Filters,
  type LeadStatus,
} from './urlState';

export const SEARCH_DEBOUNCE_MS = 300;

export interface OwnerOption {
  id: string;
  name: string;
}

interface Props {
  filters: Filters;
  /** Managers and admins: the tenant's users to filter by; null for reps (no owner filter). */
  owners: OwnerOption[] | null;
  /** Text inputs commit `replace` (no history entry per keystroke); selects push one. */
  onChange: (patch: Partial<Filters>, options?: { replace?: boolean }) => void;
}

const STATUS_LABELS: Record<LeadStatus, string> = {
  NEW: 'New',
  WORKING: 'Working',
  QUALIFIED: 'Qualified',
  CONVERTED: 'Converted',
  LOST: 'Lost',
};

export function LeadsFilters({ filters, owners, onChange }: Props) {
  const ids = useId();
  const [minScoreText, setMinScoreText] = useDebouncedText(
    filters.minScore === null ? '' : String(filters.minScore),
    (text) => {
      const { value, error } = parseMinScore(text);
      if (!error) onChange({ minScore: value }, { replace: true });
    },
    SEARCH_DEBOUNCE_MS,
  );
  const minScoreError = parseMinScore(minScoreText).error;
  const [searchText, setSearchText] = useDebouncedText(
    filters.search,
    (text) => onChange({ search: text.trim() }, { replace: true }),
    SEARCH_DEBOUNCE_MS,
  );

  return (
    <form
      role="search"
      aria-label="Filter leads"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"
      onSubmit={(event) => event.preventDefault()}
    >
      <div>
        <label htmlFor={`${ids}-search`} className={LABEL}>
          Search
        </label>
        <input
          id={`${ids}-search`}
          type="search"
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
          placeholder="Lead id, name or email"
          maxLength={100}
          autoComplete="off"
          className={`mt-1 block w-full ${FIELD}`}
        />
      </div>
      <div>
        <label htmlFor={`${ids}-min`} className={LABEL}>
          Minimum score
        </label>
        <input
          id={`${ids}-min`}
          type="text"
          inputMode="decimal"
          value={minScoreText}
          onChange={(event) => setMinScoreText(event.target.value)}
          placeholder="0 to 100"
          autoComplete="off"
          aria-invalid={minScoreError ? true : undefined}
          aria-describedby={minScoreError ? `${ids}-min-error` : undefined}
          className={`mt-1 block w-full ${FIELD}`}
        />
        {minScoreError && (
          <p id={`${ids}-min-error`} className="mt-1 text-sm text-red-700">
            {minScoreError}
          </p>
        )}
      </div>
      {owners && (
        <div>
          <label htmlFor={`${ids}-owner`} className={LABEL}>
            Owner
          </label>
          <select
            id={`${ids}-owner`}
            value={filters.ownerId ?? ''}
            onChange={(event) => onChange({ ownerId: event.target.value || null })}
            className={`mt-1 block w-full ${FIELD}`}
          >
            <option value="">All owners</option>
            {owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name}
              </option>
            ))}
            {filters.ownerId && !owners.some((owner) => owner.id === filters.ownerId) && (
              <option value={filters.ownerId}>Unknown user</option>
            )}
          </select>
        </div>
      )}
      <div>
        <label htmlFor={`${ids}-status`} className={LABEL}>
          Status
        </label>
        <select
          id={`${ids}-status`}
          value={filters.status ?? ''}
          onChange={(event) =>
            onChange({
              status: LEAD_STATUSES.find((status) => status === event.target.value) ?? null,
            })
          }
          className={`mt-1 block w-full ${FIELD}`}
        >
          <option value="">All statuses</option>
          {LEAD_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
