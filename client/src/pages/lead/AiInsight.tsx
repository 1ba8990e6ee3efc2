import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';

import { isPending, latestInsight, needsRequest, type Insight } from './aiInsight';
import { AiInsightView } from './AiInsightView';
import { INSIGHT_READY, LEAD_INSIGHT, REQUEST_INSIGHT } from './operations';

/** Every 3 s while the insight is written and the subscription has said nothing. */
export const POLL_MS = 3000;
/** Without an insightReady event for this long after a request, polling takes over. */
export const QUIET_MS = 5000;

/**
 * The lead's AI insight: reads the stored one, asks for a new one once on mount when there is
 * none or it is stale (a current one costs nothing: the API answers from its cache), and follows
 * the writing through insightReady, polling leadInsight when the subscription stays silent.
 *
 * `leadId` is the lead's external id (`Lead.leadId`); `score` its model score now.
 */
export function AiInsight({ leadId, score }: { leadId: string; score: number }) {
  const query = useQuery(LEAD_INSIGHT, {
    variables: { leadId },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: false,
  });
  const [request, requested] = useMutation(REQUEST_INSIGHT);
  const subscription = useSubscription(INSIGHT_READY, { variables: { leadId } });

  const ofLead = (answer: Insight | null | undefined) =>
    answer?.leadId === leadId ? answer : null;
  const insight = latestInsight(
    latestInsight(ofLead(query.data?.leadInsight), ofLead(requested.data?.requestInsight)),
    ofLead(subscription.data?.insightReady),
  );

  // Once per lead, when the stored insight has been read: ask for one if it is missing or stale.
  const { loading, error: loadError, data, startPolling, stopPolling, refetch } = query;
  const autoRequestedFor = useRef<string | null>(null);
  useEffect(() => {
    if (loading || loadError || !data || autoRequestedFor.current === leadId) return;
    autoRequestedFor.current = leadId;
    if (needsRequest(data.leadInsight)) {
      void request({ variables: { leadId } }).catch(() => undefined);
    }
  }, [loading, loadError, data, leadId, request]);

  // While it is written: the subscription gets QUIET_MS per request before polling takes over.
  const pendingKey = insight && isPending(insight.status) ? insight.requestedAt : null;
  const [quietKey, setQuietKey] = useState<string | null>(null);
  useEffect(() => {
    if (!pendingKey) return;
    const timer = setTimeout(() => setQuietKey(pendingKey), QUIET_MS);
    return () => clearTimeout(timer);
  }, [pendingKey]);
  const polling =
    pendingKey !== null && (quietKey === pendingKey || subscription.error !== undefined);
  useEffect(() => {
    if (!polling) return;
    startPolling(POLL_MS);
    return () => stopPolling();
  }, [polling, startPolling, stopPolling]);

  const ask = () => void request({ variables: { leadId } }).catch(() => undefined);
  const showLoadError = loadError !== undefined && !insight;

  return (
    <AiInsightView
      insight={insight}
      score={score}
      loading={loading && !insight}
      requesting={requested.loading}
      error={requested.error ?? (showLoadError ? loadError : undefined)}
      onRetryError={requested.error ? ask : () => void refetch().catch(() => undefined)}
      onRefresh={ask}
    />
  );
}
