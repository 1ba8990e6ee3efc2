import { useApolloClient, useSubscription } from '@apollo/client/react';
import { useCallback, useEffect, useRef } from 'react';

import type { LeadsTableQueryVariables } from '../../gql/graphql';
import { applyScoreChange, type ScoreChange } from './liveRows';
import { LEAD_FRESH, LEAD_SCORE_CHANGED, LEADS } from './operations';

/** Many changes in a row (a batch rescoring) cost one refetch, once they stop. */
export const REFETCH_DEBOUNCE_MS = 1000;
/** Fresh counters of changed rows are fetched together, each lead once. */
export const FRESH_DEBOUNCE_MS = 500;

interface Options {
  variables: LeadsTableQueryVariables;
  subscription: { minScore?: number; ownerId?: string };
  refetch: () => void;
  onFlash: (id: string) => void;
}

/**
 * Live score changes applied to the page in the cache at once (score, tier, position), the row
 * flashed; then the lead's fresh counters in the background, and the page refetched when a
 * change may have altered which leads it holds.
 */
export function useLiveScores({ variables, subscription, refetch, onFlash }: Options) {
  const client = useApolloClient();
  const latest = useRef({ variables, refetch, onFlash });
  useEffect(() => {
    latest.current = { variables, refetch, onFlash };
  });
  const timers = useRef<{
    refetch?: ReturnType<typeof setTimeout>;
    fresh?: ReturnType<typeof setTimeout>;
  }>({});
  const freshIds = useRef(new Set<string>());

  const scheduleRefetch = useCallback(() => {
    clearTimeout(timers.current.refetch);
    timers.current.refetch = setTimeout(() => latest.current.refetch(), REFETCH_DEBOUNCE_MS);
  }, []);

  /** Applies a change to the page in the cache; true when the lead is on it. */
  const apply = useCallback(
    (change: ScoreChange): boolean => {
      let onPage = false;
      client.cache.updateQuery({ query: LEADS, variables: latest.current.variables }, (data) => {
        if (!data) return undefined;
        const { items, page, totalPages } = data.leads;
        const { sort, order } = latest.current.variables;
        const result = applyScoreChange(items, change, {
          sort,
          order,
          isFirstPage: page <= 1,
          isLastPage: page >= totalPages,
        });
        if (result.refetch) scheduleRefetch();
        onPage = result.flashed !== null;
        return result.rows === items ? undefined : { leads: { ...data.leads, items: result.rows } };
      });
      return onPage;
    },
    [client, scheduleRefetch],
  );

  const fetchFresh = useCallback(() => {
    const ids = [...freshIds.current];
    freshIds.current.clear();
    for (const id of ids) {
      client
        .query({ query: LEAD_FRESH, variables: { id }, fetchPolicy: 'network-only' })
        .then(({ data }) => {
          // A later score than the change's: place the row by it (no second flash).
          if (data?.lead) apply(data.lead);
        })
        .catch(() => undefined);
    }
  }, [client, apply]);

  const { error } = useSubscription(LEAD_SCORE_CHANGED, {
    variables: subscription,
    onData: ({ data }) => {
      const change = data.data?.leadScoreChanged;
      if (!change || !apply(change)) return;
      latest.current.onFlash(change.id);
      freshIds.current.add(change.id);
      clearTimeout(timers.current.fresh);
      timers.current.fresh = setTimeout(fetchFresh, FRESH_DEBOUNCE_MS);
    },
  });

  useEffect(() => {
    const pending = timers.current;
    return () => {
      clearTimeout(pending.refetch);
      clearTimeout(pending.fresh);
    };
  }, []);

  return { liveError: error };
}
