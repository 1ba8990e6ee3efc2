import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';

import { useUser } from '../../auth/SessionContext';
import { ErrorState } from '../../ui/ErrorState';
import { Spinner } from '../../ui/Spinner';
import { AiInsight } from './AiInsight';
import { Breakdown } from './Breakdown';
import { Engagement } from './Engagement';
import { FeedbackPanel } from './FeedbackPanel';
import { toHistoryPoints } from './history';
import { isLeadNotFound } from './leadErrors';
import { LeadHeader } from './LeadHeader';
import { LEAD, LEAD_SCORE_CHANGED, LEAD_SCORE_HISTORY } from './operations';
import { OutcomePanel } from './OutcomePanel';
import { ScoreHistory } from './ScoreHistory';
import { textLink } from './styles';

export const HISTORY_LIMIT = 100;

function BackLink() {
  return (
    <Link to="/" className={`${textLink} text-sm`}>
      ← Back to leads
    </Link>
  );
}

/** One lead: who it is, its score and why, its history, engagement, feedback and outcome. */
export default function LeadPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const apollo = useApolloClient();
  const [recomputing, setRecomputing] = useState(false);

  const lead = useQuery(LEAD, { variables: { id } });
  const history = useQuery(LEAD_SCORE_HISTORY, { variables: { id, limit: HISTORY_LIMIT } });
  const points = useMemo(
    () => toHistoryPoints(history.data?.leadScoreHistory ?? []),
    [history.data],
  );

  const refetchAll = () => {
    void lead.refetch().catch(() => undefined);
    void history.refetch().catch(() => undefined);
  };

  // Live: this lead's score moved (an interaction, a rescore, an outcome): reload it.
  useSubscription(LEAD_SCORE_CHANGED, {
    ignoreResults: true,
    onData: ({ data }) => {
      if (data.data?.leadScoreChanged.id === id) refetchAll();
    },
  });

  const recompute = async () => {
    setRecomputing(true);
    try {
      await apollo.query({
        query: LEAD,
        variables: { id, refresh: true },
        fetchPolicy: 'network-only',
      });
      await history.refetch();
    } catch {
      // The stale score stays shown; the note stays with it.
    } finally {
      setRecomputing(false);
    }
  };

  const current = lead.data?.lead;
  if (!current) {
    if (lead.error && isLeadNotFound(lead.error)) {
      return (
        <div className="space-y-3">
          <h1 className="text-2xl font-semibold text-slate-900">Lead not found</h1>
          <p className="text-slate-700">
            There is no lead with this id, or it is not one you can see.
          </p>
          <BackLink />
        </div>
      );
    }
    if (lead.error) {
      return (
        <div className="space-y-3">
          <h1 className="text-2xl font-semibold text-slate-900">Lead</h1>
          <ErrorState
            error={lead.error}
            onRetry={() => void lead.refetch().catch(() => undefined)}
          />
          <BackLink />
        </div>
      );
    }
    return <Spinner label="Loading lead" />;
  }

  return (
    <div className="space-y-6">
      <BackLink />
      <LeadHeader
        lead={current}
        currentUserId={user.id}
        onRecompute={() => void recompute()}
        recomputing={recomputing}
      />
      {history.error && !history.data ? (
        <ErrorState
          error={history.error}
          onRetry={() => void history.refetch().catch(() => undefined)}
        />
      ) : history.loading && !history.data ? (
        <Spinner label="Loading score history" />
      ) : (
        <ScoreHistory points={points} />
      )}
      <Breakdown breakdown={current.breakdown} />
      <Engagement engagement={current.engagement} />
      <AiInsight key={`insight-${current.id}`} leadId={current.leadId} score={current.score} />
      <div className="grid gap-6 lg:grid-cols-2">
        <FeedbackPanel key={`feedback-${current.id}`} leadId={current.leadId} userId={user.id} />
        <OutcomePanel
          key={`outcome-${current.id}`}
          leadId={current.leadId}
          status={current.status}
          onChanged={refetchAll}
        />
      </div>
    </div>
  );
}
