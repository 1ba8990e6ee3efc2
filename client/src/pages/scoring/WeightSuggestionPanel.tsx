import { useLazyQuery } from '@apollo/client/react';
import { useId, useState } from 'react';

import { errorMessage } from '../../ui/ErrorState';
import { formatInteger } from '../../ui/format';
import { Spinner } from '../../ui/Spinner';
import { FEATURE_LABELS, FEATURES } from './formValues';
import {
  card,
  primaryButton,
  secondaryButton,
  sectionHeading,
  tableCell,
  tableHead,
} from './styles';
import { SUGGEST_SCORING_WEIGHTS } from './suggestionOperations';
import {
  formatAuc,
  formatDays,
  formatOutcomeScore,
  formatTier,
  formatWeight,
  type WeightPatch,
  type WeightSuggestion,
} from './weightSuggestion';

export const SUGGESTION_REGION_NAME = 'Suggest weights from outcomes';

/**
 * Weights (and the half-life) of the weighted sum fitted to the tenant's outcomes, compared with
 * the current ones on the same held-out outcomes; "Use these weights" puts them in the editor,
 * where they are previewed and saved as any other change. Nothing is saved here.
 */
export function WeightSuggestionPanel({ onUse }: { onUse: (patch: WeightPatch) => void }) {
  const headingId = useId();
  const fitId = useId();
  const [fitHalfLife, setFitHalfLife] = useState(true);
  const [used, setUsed] = useState(false);
  const [suggest, { data, loading, error }] = useLazyQuery(SUGGEST_SCORING_WEIGHTS, {
    fetchPolicy: 'network-only',
  });
  const suggestion = data?.suggestScoringWeights;

  const run = () => {
    setUsed(false);
    void suggest({ variables: { input: { fitHalfLife } } }).catch(() => undefined);
  };

  return (
    <section aria-labelledby={headingId} className={card}>
      <h2 id={headingId} className={sectionHeading}>
        {SUGGESTION_REGION_NAME}
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Fits the three weights to your converted and lost leads (engagement as it was at each
        outcome) and compares them with the current ones on outcomes held out of the fit. Nothing is
        saved until you save the editor.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-4">
        <label htmlFor={fitId} className="flex items-center gap-2 text-sm text-slate-800">
          <input
            id={fitId}
            type="checkbox"
            checked={fitHalfLife}
            onChange={(e) => setFitHalfLife(e.target.checked)}
            className="h-4 w-4 focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
          Fit the half-life too
        </label>
        <button type="button" className={secondaryButton} onClick={run} disabled={loading}>
          Suggest weights
        </button>
      </div>

      {loading ? (
        <Spinner label="Fitting weights to your outcomes" />
      ) : error ? (
        <p role="alert" className="mt-3 text-sm text-red-800">
          The suggestion could not be computed: {errorMessage(error)}
        </p>
      ) : suggestion ? (
        <SuggestionResult
          suggestion={suggestion}
          used={used}
          onUse={(patch) => {
            onUse(patch);
            setUsed(true);
          }}
        />
      ) : null}
    </section>
  );
}

function SuggestionResult({
  suggestion: s,
  used,
  onUse,
}: {
  suggestion: WeightSuggestion;
  used: boolean;
  onUse: (patch: WeightPatch) => void;
}) {
  const tone =
    s.status === 'SUGGESTED'
      ? 'bg-emerald-50 text-emerald-900 ring-emerald-300'
      : 'bg-amber-50 text-amber-900 ring-amber-300';
  return (
    <div className="mt-3 space-y-4">
      <div className={`rounded-md p-3 text-sm ring-1 ${tone}`}>
        <p className="font-medium">
          {s.status === 'SUGGESTED'
            ? 'Weights suggested'
            : s.status === 'NO_SIGNAL'
              ? 'No signal: keep the current weights'
              : 'Not enough outcomes yet'}
        </p>
        <p>{s.message}</p>
        {s.needed && (
          <p className="mt-1">
            Still needed: {formatInteger(s.needed.outcomes)} more outcomes (at least{' '}
            {formatInteger(s.needed.converted)} more converted and {formatInteger(s.needed.lost)}{' '}
            more lost).
          </p>
        )}
      </div>
      <p className="text-sm text-slate-700">
        {formatInteger(s.counts.outcomes)} outcomes considered ({formatInteger(s.counts.converted)}{' '}
        converted, {formatInteger(s.counts.lost)} lost)
        {s.capped ? `; only the newest ${formatInteger(s.maxOutcomes)} were read` : ''}. A fit needs
        at least {formatInteger(s.minimum.outcomes)}, {formatInteger(s.minimum.perClass)} of each.
        {s.split &&
          ` Fitted on ${formatInteger(s.split.train.outcomes)}, compared on ${formatInteger(s.split.heldOut.outcomes)} held out (${s.split.reason}).`}
      </p>

      {s.current && <Comparison current={s.current} suggested={s.suggested} />}

      {s.status === 'SUGGESTED' && s.patch && (
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" className={primaryButton} onClick={() => onUse(s.patch!)}>
            Use these weights
          </button>
          <p role="status" className="text-sm text-slate-700">
            {used
              ? `The editor now holds the suggested weights${
                  s.patch.halfLifeDays === null ? '' : ' and half-life'
                }. Preview them, then save as a new version.`
              : ''}
          </p>
        </div>
      )}
    </div>
  );
}

type Choice = NonNullable<WeightSuggestion['current']>;

function Comparison({ current, suggested }: { current: Choice; suggested: Choice | null }) {
  const rows: [string, (c: Choice) => string][] = [
    ...FEATURES.map((f): [string, (c: Choice) => string] => [
      `${FEATURE_LABELS[f]} weight`,
      (c) => formatWeight(c.weights[f]),
    ]),
    ['Half-life', (c) => formatDays(c.halfLifeDays)],
    ['Held-out AUC', (c) => formatAuc(c.heldOutAuc)],
  ];
  const distribution: [string, (c: Choice) => string][] = [
    ['Outcomes', (c) => formatInteger(c.distribution.outcomes)],
    ['Mean score', (c) => formatOutcomeScore(c.distribution.mean)],
    ['10th percentile', (c) => formatOutcomeScore(c.distribution.p10)],
    ['Median', (c) => formatOutcomeScore(c.distribution.p50)],
    ['90th percentile', (c) => formatOutcomeScore(c.distribution.p90)],
    ['Hot', (c) => formatTier(c.distribution.tiers.hot)],
    ['Warm', (c) => formatTier(c.distribution.tiers.warm)],
    ['Cold', (c) => formatTier(c.distribution.tiers.cold)],
  ];
  return (
    <>
      <CompareTable
        caption="Current and suggested configuration"
        rows={rows}
        {...{ current, suggested }}
      />
      <CompareTable
        caption="Scores of the outcomes’ leads at their outcome times"
        rows={distribution}
        {...{ current, suggested }}
      />
    </>
  );
}

function CompareTable({
  caption,
  rows,
  current,
  suggested,
}: {
  caption: string;
  rows: [string, (c: Choice) => string][];
  current: Choice;
  suggested: Choice | null;
}) {
  return (
    <table className="w-full text-sm">
      <caption className="text-left text-sm font-semibold text-slate-900">{caption}</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col" className={tableHead}>
            <span className="sr-only">Measure</span>
          </th>
          <th scope="col" className={tableHead}>
            Current
          </th>
          {suggested && (
            <th scope="col" className={tableHead}>
              Suggested
            </th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map(([label, read]) => (
          <tr key={label}>
            <th scope="row" className={`${tableCell} font-medium`}>
              {label}
            </th>
            <td className={tableCell}>{read(current)}</td>
            {suggested && <td className={tableCell}>{read(suggested)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
