import { useId } from 'react';

import { ErrorState } from '../../ui/ErrorState';
import { formatScore } from '../../ui/format';
import { RelativeTime } from '../../ui/RelativeTime';
import { costText, isPending, type Insight } from './aiInsight';
import { card, secondaryButton, sectionHeading } from './styles';

const badge = 'inline-block rounded px-1.5 py-0.5 text-xs font-semibold ring-1';

/** Who wrote the insight: OpenAI (model, when, tokens and latency) or the fallback (why). */
function SourceLine({ insight }: { insight: Insight }) {
  const cost = costText(insight);
  const when = insight.generatedAt ? (
    <>
      {' '}
      · <RelativeTime at={insight.generatedAt} />
    </>
  ) : null;
  return (
    <div className="mt-1">
      {insight.source === 'FALLBACK' ? (
        <p className="text-sm text-slate-700">
          <span className={`${badge} mr-1.5 bg-amber-100 text-amber-900 ring-amber-300`}>
            Fallback
          </span>
          Built from the score breakdown without AI
          {insight.fallbackReason ? `: ${insight.fallbackReason}` : ''}
          {when}
        </p>
      ) : (
        <p className="text-sm text-slate-700">
          Written by OpenAI{insight.model ? ` (${insight.model})` : ''}
          {when}
        </p>
      )}
      {cost && <p className="mt-0.5 text-xs text-slate-600">{cost}</p>}
    </div>
  );
}

function TextList({
  id,
  title,
  items,
  empty,
}: {
  id: string;
  title: string;
  items: readonly string[];
  empty: string;
}) {
  return (
    <div>
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">{empty}</p>
      ) : (
        <ul aria-labelledby={id} className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-800">
          {items.map((item, i) => (
            <li key={`${i}-${item}`}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The insight itself, with the writer's fit estimate beside (never instead of) the score. */
function InsightBody({
  insight,
  content,
  score,
  ids,
}: {
  insight: Insight;
  content: NonNullable<Insight['insight']>;
  score: number;
  ids: string;
}) {
  const writer =
    insight.source === 'FALLBACK' ? 'the fallback’s estimate, not AI' : 'AI’s judgement';
  const writtenBeside =
    insight.score != null && formatScore(insight.score) !== formatScore(score)
      ? `; it was ${formatScore(insight.score)} when this was written`
      : '';
  return (
    <div className="mt-4 space-y-4">
      <p className="text-slate-900">{content.summary}</p>
      <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">
        <span className="font-semibold text-slate-900">
          Fit estimate {content.fitEstimate} / 100
        </span>{' '}
        ({writer}; the model score is {formatScore(score)}
        {writtenBeside})
      </p>
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Next best action</h3>
        <p className="mt-1 text-sm text-slate-800">{content.nextBestAction}</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextList
          id={`${ids}-points`}
          title="Talking points"
          items={content.talkingPoints}
          empty="No talking points."
        />
        <TextList id={`${ids}-risks`} title="Risks" items={content.risks} empty="No risks noted" />
      </div>
    </div>
  );
}

export interface AiInsightViewProps {
  /** The latest known state of the lead's insight; null before the first request. */
  insight: Insight | null;
  /** The lead's model score now. */
  score: number;
  /** Nothing read yet. */
  loading?: boolean;
  /** requestInsight is on its way. */
  requesting?: boolean;
  /** What could not be loaded or asked for, with its retry. */
  error?: unknown;
  onRetryError?: () => void;
  /** Asks for the insight again (the Refresh button and the retry of a failed one). */
  onRefresh: () => void;
}

/**
 * The AI insight section: what the writer says about the lead (summary, next best action,
 * talking points, risks, fit estimate), who wrote it, and whether a newer one is on its way.
 */
export function AiInsightView({
  insight,
  score,
  loading = false,
  requesting = false,
  error,
  onRetryError,
  onRefresh,
}: AiInsightViewProps) {
  const ids = useId();
  const pending = insight !== null && isPending(insight.status);
  const failed = insight?.status === 'FAILED';
  const content = insight?.insight ?? null;
  const progress = pending
    ? 'Writing the insight…'
    : requesting
      ? 'Asking for an insight…'
      : loading
        ? 'Loading the insight…'
        : '';

  return (
    <section aria-labelledby={`${ids}-heading`} className={card}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={`${ids}-heading`} className={sectionHeading}>
            AI insight
          </h2>
          {insight && content && <SourceLine insight={insight} />}
        </div>
        <button
          type="button"
          className={secondaryButton}
          disabled={pending || requesting || loading}
          onClick={onRefresh}
        >
          Refresh insight
        </button>
      </div>

      <p role="status" className="mt-2 flex items-center gap-2 text-sm text-slate-700">
        {progress && (
          <span
            aria-hidden="true"
            className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600"
          />
        )}
        {progress}
      </p>

      {error != null && (
        <div className="mt-2">
          <ErrorState error={error} onRetry={onRetryError} />
        </div>
      )}

      {failed && (
        <div
          role="alert"
          className="mt-2 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800"
        >
          <p>
            <span className="font-medium">The insight could not be written</span>
            {insight.failure ? `: ${insight.failure}` : '.'}
          </p>
          <button
            type="button"
            onClick={onRefresh}
            disabled={requesting}
            className="mt-3 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-red-800 ring-1 ring-red-300 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:cursor-not-allowed"
          >
            Try again
          </button>
        </div>
      )}

      {insight && content ? (
        <>
          {!insight.current && (
            <p className="mt-3 text-sm text-slate-700">
              <span className={`${badge} mr-1.5 bg-slate-100 text-slate-800 ring-slate-300`}>
                Out of date
              </span>
              Written before the lead’s latest changes.
              {pending
                ? ' A new one is being written.'
                : failed
                  ? ''
                  : ' Refresh the insight to rewrite it.'}
            </p>
          )}
          <InsightBody insight={insight} content={content} score={score} ids={ids} />
        </>
      ) : (
        !loading &&
        !pending &&
        !requesting &&
        !failed &&
        error == null && (
          <p className="mt-2 text-sm text-slate-600">
            No insight yet. Refresh the insight to have one written.
          </p>
        )
      )}
    </section>
  );
}
