import { useId } from 'react';

import type { AdminSetupRecommendationFragment } from '../../../gql/graphql';
import { Badge } from '../components/Badge';
import { modelTypeLabel } from '../models/modelLabels';
import { formatChoiceValue, formatParams, ROLE_LABEL, SOURCE_LABEL } from './setup';

const listClass = 'mt-1 space-y-1 text-sm text-slate-800';

/** One recommendation: its source, the model with its reason, the columns used and left out, each with why. */
export function RecommendationCard({
  recommendation: r,
  sourceDetail,
}: {
  recommendation: AdminSetupRecommendationFragment;
  /** e.g. the OpenAI model that answered. */
  sourceDetail?: string | null;
}) {
  const id = useId();
  const title = `${SOURCE_LABEL[r.source]} recommendation`;
  return (
    <article aria-labelledby={id} className="space-y-3 rounded-md p-3 ring-1 ring-slate-200">
      <header className="flex flex-wrap items-center gap-2">
        <h4 id={id} className="font-semibold text-slate-900">
          {title}
        </h4>
        <Badge tone={r.source === 'AI' ? 'info' : 'neutral'}>
          Source: {r.source === 'AI' ? 'AI' : 'fixed rules on the profile'}
          {sourceDetail ? ` (${sourceDetail})` : ''}
        </Badge>
      </header>

      <div>
        <h5 className="text-sm font-semibold text-slate-900">Model</h5>
        {r.model ? (
          <>
            <p className="text-sm text-slate-800">
              <span className="font-medium">{modelTypeLabel(r.model.type)}</span>: {r.model.reason}
            </p>
            <ul className={`${listClass} font-mono text-xs`} aria-label={`${title}: params`}>
              {formatParams(r.model.params).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {r.model.choices.length > 0 && (
              <ul className={listClass}>
                {r.model.choices.map((c) => (
                  <li key={c.field}>
                    <span className="font-mono">{c.field}</span> = {formatChoiceValue(c.value)}:{' '}
                    {c.reason}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <p className="text-sm text-slate-700">No model: no column is left to train on.</p>
        )}
      </div>

      <div>
        <h5 className="text-sm font-semibold text-slate-900">Columns used ({r.included.length})</h5>
        <ul className={listClass} aria-label={`${title}: columns used`}>
          {r.included.map((d) => (
            <li key={d.name}>
              <span className="font-mono font-medium">{d.name}</span> ({ROLE_LABEL[d.role]}):{' '}
              {d.reason}
            </li>
          ))}
        </ul>
      </div>

      <div>
        <h5 className="text-sm font-semibold text-slate-900">
          Columns left out ({r.excluded.length})
        </h5>
        {r.excluded.length === 0 ? (
          <p className="text-sm text-slate-700">None.</p>
        ) : (
          <ul className={listClass} aria-label={`${title}: columns left out`}>
            {r.excluded.map((d) => (
              <li key={d.name}>
                <span className="font-mono font-medium">{d.name}</span> ({ROLE_LABEL[d.role]}):{' '}
                {d.reason}
              </li>
            ))}
          </ul>
        )}
      </div>

      {r.transformationChoices.length > 0 && (
        <div>
          <h5 className="text-sm font-semibold text-slate-900">Transformation</h5>
          <ul className={listClass}>
            {r.transformationChoices.map((c) => (
              <li key={c.field}>
                <span className="font-mono">{c.field}</span> = {formatChoiceValue(c.value)}:{' '}
                {c.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      {r.notes.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-slate-700">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The deterministic recommendation and the AI's second opinion side by side (or why there is none). */
export function RecommendationsSideBySide({
  deterministic,
  ai,
  aiModel,
  aiUnavailableReason,
}: {
  deterministic: AdminSetupRecommendationFragment | null;
  ai: AdminSetupRecommendationFragment | null;
  aiModel: string | null;
  aiUnavailableReason: string | null;
}) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {deterministic ? (
        <RecommendationCard recommendation={deterministic} />
      ) : (
        <p className="text-sm text-slate-700">No deterministic recommendation yet.</p>
      )}
      {ai ? (
        <RecommendationCard recommendation={ai} sourceDetail={aiModel} />
      ) : (
        <article
          aria-label="AI recommendation"
          className="rounded-md bg-slate-50 p-3 text-sm text-slate-800 ring-1 ring-slate-200"
        >
          <h4 className="font-semibold text-slate-900">AI recommendation</h4>
          <p className="mt-1">
            No AI recommendation
            {aiUnavailableReason ? `: ${aiUnavailableReason}` : '.'} The deterministic one stands.
          </p>
        </article>
      )}
    </div>
  );
}
