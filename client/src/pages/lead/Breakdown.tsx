import type { LeadPageLeadQuery } from '../../gql/graphql';
import { RelativeTime } from '../../ui/RelativeTime';
import { modelTypeLabel } from './breakdownMath';
import { FactorsBreakdown } from './FactorsBreakdown';
import { card, sectionHeading } from './styles';
import { WeightedSumBreakdown } from './WeightedSumBreakdown';

type ScoreBreakdown = LeadPageLeadQuery['lead']['breakdown'];

/** Why the lead has its score: the weighted sum's terms, or a trained model's factors. */
export function Breakdown({ breakdown }: { breakdown: ScoreBreakdown }) {
  const weighted = breakdown.modelType === 'WEIGHTED_SUM';
  return (
    <section aria-labelledby="breakdown-heading" className={card}>
      <h2 id="breakdown-heading" className={sectionHeading}>
        Score breakdown
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {modelTypeLabel(breakdown.modelType)}
        {!weighted && ` (${breakdown.modelId}, version ${breakdown.modelVersion})`} · scoring
        configuration v{breakdown.configVersion} · computed{' '}
        <RelativeTime at={breakdown.computedAt} />
      </p>
      {weighted ? (
        <WeightedSumBreakdown
          terms={breakdown.terms}
          rawScore={breakdown.rawScore}
          decayFactor={breakdown.decayFactor}
          daysSinceLastActivity={breakdown.daysSinceLastActivity}
        />
      ) : (
        <FactorsBreakdown
          factors={breakdown.factors}
          baseValue={breakdown.baseValue}
          logit={breakdown.logit}
          rawScore={breakdown.rawScore}
          explanationMethod={breakdown.explanationMethod}
          modelType={breakdown.modelType}
        />
      )}
    </section>
  );
}
