import { skipToken, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { useUser } from '../../auth/SessionContext';
import { ErrorState } from '../../ui/ErrorState';
import { LeadsFilters } from './LeadsFilters';
import { LeadsTable } from './LeadsTable';
import { USERS } from './operations';
import { Pagination } from './Pagination';
import { RefreshBar } from './RefreshBar';
import { FOCUS_RING } from './styles';
import { useCommitted } from './useCommitted';
import { useLeadsData } from './useLeadsData';
import { useLeadsView } from './useLeadsView';
import { useLiveScores } from './useLiveScores';
import { useRowFlash } from './useRowFlash';
import {
  hasFilters,
  leadsVariables,
  subscriptionVariables,
  withFilters,
  withoutFilters,
  withPage,
  withSize,
  withSort,
} from './urlState';

/** The reps' leads table: ranked, filtered, paged, live. */
export function LeadsPage() {
  const user = useUser();
  const canFilterOwner = user.role !== 'REP';
  const [view, setView] = useLeadsView();
  const heading = useRef<HTMLHeadingElement>(null);
  // Clearing the filters also clears what was typed but not applied (an invalid minimum score).
  const [filtersKey, setFiltersKey] = useState(0);

  const variables = useCommitted(leadsVariables(view, { canFilterOwner }));
  const subscription = useCommitted(subscriptionVariables(view, { canFilterOwner }));
  const leads = useLeadsData(variables);
  // Reps may not list users (and see only their own leads): never asked for them.
  const users = useQuery(USERS, canFilterOwner ? {} : skipToken);
  const [flashes, flash] = useRowFlash();
  const { liveError } = useLiveScores({
    variables,
    subscription,
    refetch: leads.refresh,
    onFlash: flash,
  });

  const owners = useMemo(
    () =>
      canFilterOwner
        ? (users.data?.users ?? []).map((u) => ({
            id: u.id,
            name: u.isActive ? u.name : `${u.name} (inactive)`,
          }))
        : null,
    [canFilterOwner, users.data],
  );
  const ownerName = useCallback(
    (ownerId: string | null) => {
      if (!ownerId) return 'Unassigned';
      if (ownerId === user.id) return user.name;
      return owners?.find((owner) => owner.id === ownerId)?.name ?? 'Unknown';
    },
    [owners, user.id, user.name],
  );

  // A page past the end (fewer leads than when the link was made): go to the last one.
  const { page, current } = leads;
  useEffect(() => {
    if (page && current && page.items.length === 0 && page.total > 0 && view.page > page.totalPages)
      setView((v) => withPage(v, page.totalPages), { replace: true });
  }, [page, current, view.page, setView]);

  const clearFilters = () => {
    setView(withoutFilters);
    setFiltersKey((key) => key + 1);
    heading.current?.focus();
  };
  const filtered = hasFilters(view, { canFilterOwner });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 ref={heading} tabIndex={-1} className={`rounded text-xl font-semibold ${FOCUS_RING}`}>
          Leads
        </h1>
        <RefreshBar
          onRefresh={leads.refresh}
          refreshing={leads.refreshing}
          loading={leads.loading ? 'first' : leads.busy ? 'other' : null}
          updatedAt={leads.updatedAt}
          liveUnavailable={liveError !== undefined}
        />
      </div>
      <LeadsFilters
        key={filtersKey}
        filters={view}
        owners={owners}
        onChange={(patch, options) => setView((v) => withFilters(v, patch), options)}
      />
      {leads.error && <ErrorState error={leads.error} onRetry={leads.refresh} />}
      {!(leads.error && !page) && (
        <>
          <LeadsTable
            rows={page ? page.items : null}
            sort={view.sort}
            order={view.order}
            onSort={(field) => setView((v) => withSort(v, field))}
            busy={leads.busy}
            skeletonRows={Math.min(view.size, 25)}
            ownerName={ownerName}
            flashes={flashes}
            emptyReason={filtered ? 'filtered' : 'none'}
            emptyHint={
              canFilterOwner
                ? 'Leads appear here once they are added to your workspace.'
                : 'Leads assigned to you appear here.'
            }
            onClearFilters={clearFilters}
          />
          {page ? (
            <Pagination
              page={view.page}
              totalPages={page.totalPages}
              total={page.total}
              size={view.size}
              onPage={(p) => setView((v) => withPage(v, p))}
              onSize={(size) => setView((v) => withSize(v, size))}
            />
          ) : (
            // Where the pagination comes: the page does not jump when it does.
            <div className="h-9" />
          )}
        </>
      )}
    </div>
  );
}
