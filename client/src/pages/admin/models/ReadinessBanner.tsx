import { Link } from 'react-router';

import type { AdminTrainingReadinessQuery } from '../../../gql/graphql';
import { formatInteger } from '../../../ui/format';
import { linkClass } from '../components/styles';
import { modelName } from './modelLabels';

type Readiness = AdminTrainingReadinessQuery['trainingReadiness'];

/** Whether there is enough labelled data to train, how much more is needed, what scores now. */
export function ReadinessBanner({ readiness: r }: { readiness: Readiness }) {
  const tone = r.ready
    ? 'border-emerald-300 bg-emerald-50 text-emerald-950'
    : 'border-amber-300 bg-amber-50 text-amber-950';
  return (
    <section aria-labelledby="readiness-heading" className={`rounded-lg border p-4 ${tone}`}>
      <h2 id="readiness-heading" className="text-base font-semibold">
        {r.ready ? 'Ready to train' : 'Not enough data to train yet'}
      </h2>
      <p className="mt-1 text-sm">
        {formatInteger(r.converted)} converted and {formatInteger(r.lost)} lost leads; a model needs
        at least {formatInteger(r.minConverted)} converted and {formatInteger(r.minLost)} lost.
        {!r.ready && (
          <>
            {' '}
            Still needed: {formatInteger(r.neededConverted)} more converted and{' '}
            {formatInteger(r.neededLost)} more lost.
          </>
        )}
      </p>
      <p className="mt-1 text-sm">
        {r.ready ? 'Scoring leads now: ' : 'Meanwhile leads are scored by '}
        <Link to={`/admin/models/${r.deployedModelId}`} className={linkClass}>
          {modelName({ type: r.deployedModelType, version: r.deployedModelVersion })}
        </Link>
        .
      </p>
    </section>
  );
}
