import { useQuery } from '@apollo/client/react';

import { ErrorState } from '../../ui/ErrorState';
import { formatScore } from '../../ui/format';
import { Spinner } from '../../ui/Spinner';
import { ModelFactors, WeightedTerms } from './BreakdownDetails';
import { LEAD_BREAKDOWN } from './operations';

/** "Why this score?": the breakdown of one lead's score, loaded when first opened. */
export function ScoreBreakdown({ leadId, name }: { leadId: string; name: string }) {
  const { data, error, refetch } = useQuery(LEAD_BREAKDOWN, {
    variables: { id: leadId },
    // Shown at once from the cache when there, and checked against the server.
    fetchPolicy: 'cache-and-network',
  });
  const lead = data?.lead;
  if (!lead) {
    if (error)
      return <ErrorState error={error} onRetry={() => void refetch().catch(() => undefined)} />;
    return <Spinner label="Loading the breakdown" />;
  }
  const { breakdown } = lead;
  return (
    <section
      aria-label={`Why ${name} scores ${formatScore(lead.score)}`}
      className="max-w-3xl text-sm"
    >
      {breakdown.modelType === 'WEIGHTED_SUM' ? (
        <WeightedTerms breakdown={breakdown} score={lead.score} />
      ) : (
        <ModelFactors breakdown={breakdown} score={lead.score} />
      )}
    </section>
  );
}
