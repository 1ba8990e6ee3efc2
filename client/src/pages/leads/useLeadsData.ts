import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import type { LeadsTableQueryVariables } from '../../gql/graphql';
import { LEADS } from './operations';
import { useAutoRefresh } from './useAutoRefresh';
import { createValueStore } from './valueStore';

interface FetchTimes {
  /** When the rows last came from the server. */
  updatedAt: number | null;
  /** When the last fetch settled (rows or an error). */
  settledAt: number | null;
}

/**
 * The page of leads. While a refetch or another page loads, the previous rows stay (`page`);
 * `updatedAt` is when the rows last came from the server. Refreshes itself every minute.
 */
export function useLeadsData(variables: LeadsTableQueryVariables) {
  const { data, previousData, networkStatus, error, refetch } = useQuery(LEADS, {
    variables,
    notifyOnNetworkStatusChange: true,
  });
  // The clock is read when a status change has committed, not while rendering it.
  const [times] = useState(() =>
    createValueStore<FetchTimes>({ updatedAt: null, settledAt: null }),
  );
  const lastStatus = useRef<NetworkStatus | null>(null);

  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = networkStatus;
    if (was === networkStatus) return;
    if (networkStatus === NetworkStatus.ready) {
      const now = Date.now();
      times.update(() => ({ updatedAt: now, settledAt: now }));
    } else if (networkStatus === NetworkStatus.error) {
      const now = Date.now();
      times.update((previous) => ({ ...previous, settledAt: now }));
    }
  }, [times, networkStatus]);
  const { updatedAt, settledAt } = useSyncExternalStore(times.subscribe, times.get);

  const refresh = useCallback(() => {
    // A failed refetch shows through `error`; nothing else to do with the rejection.
    refetch().catch(() => undefined);
  }, [refetch]);
  useAutoRefresh(refresh, settledAt);

  const page = (data ?? previousData)?.leads ?? null;
  return {
    page,
    /** The rows shown are those of the current variables (not the previous page's). */
    current: data !== undefined,
    error,
    /** Nothing to show yet. */
    loading: page === null && !error,
    /** Other rows (another page, other filters) load while the previous ones are shown. */
    busy:
      page !== null &&
      (networkStatus === NetworkStatus.loading || networkStatus === NetworkStatus.setVariables),
    refreshing: networkStatus === NetworkStatus.refetch || networkStatus === NetworkStatus.poll,
    updatedAt,
    refresh,
  };
}
