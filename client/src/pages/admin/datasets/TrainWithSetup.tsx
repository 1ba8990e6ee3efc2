import { useMutation } from '@apollo/client/react';
import { useMemo, useState, type FormEvent } from 'react';

import type {
  AdminApplySetupMutation,
  AdminSetupFlagFragment,
  AdminSetupRecommendationFragment,
  AdminTrainingJobFragment,
  SetupSource,
  TrainModelInput,
} from '../../../gql/graphql';
import { errorMessage } from '../../../ui/ErrorState';
import { fieldErrors } from '../components/apiErrors';
import { Badge } from '../components/Badge';
import { buttonPrimary, tableClass, tdClass, thClass } from '../components/styles';
import { modelTypeLabel } from '../models/modelLabels';
import { TRAIN_MODEL } from '../models/operations';
import { FlagBadge } from './SetupFlags';
import { APPLY_SETUP } from './setupOperations';
import { columnChoices, recommendedColumns, ROLE_LABEL, SOURCE_LABEL, toApplyInput } from './setup';

export type AppliedSetup = AdminApplySetupMutation['applySetup'];

/**
 * "Train with this": start from the deterministic or the AI recommendation, tick the columns to
 * train on (keep a flagged one knowingly, leave one more out), then applySetup records the choice
 * and trainModel starts a job with the trainInput it returns.
 */
export function TrainWithSetup({
  versionId,
  deterministic,
  ai,
  flags,
  onStarted,
}: {
  versionId: string;
  deterministic: AdminSetupRecommendationFragment;
  ai: AdminSetupRecommendationFragment | null;
  flags: ReadonlyMap<string, readonly AdminSetupFlagFragment[]>;
  onStarted: (job: AdminTrainingJobFragment, applied: AppliedSetup) => void;
}) {
  const [source, setSource] = useState<SetupSource>('DETERMINISTIC');
  const recommendation = source === 'AI' && ai ? ai : deterministic;
  const [used, setUsed] = useState<ReadonlySet<string>>(() => recommendedColumns(deterministic));
  const [apply, applied] = useMutation(APPLY_SETUP);
  const [train, trained] = useMutation(TRAIN_MODEL);
  const busy = applied.loading || trained.loading;

  const choices = useMemo(() => columnChoices(recommendation), [recommendation]);
  const input = toApplyInput(recommendation.source, recommendation, used);
  const keptFlagged = (input.keepColumns ?? []).filter((name) =>
    (flags.get(name) ?? []).some((f) => f.kind === 'POSSIBLE_LEAKAGE'),
  );

  const choose = (next: SetupSource) => {
    setSource(next);
    setUsed(recommendedColumns(next === 'AI' && ai ? ai : deterministic));
    applied.reset();
    trained.reset();
  };

  const toggle = (name: string, on: boolean) =>
    setUsed((prev) => {
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    trained.reset();
    const setup = await apply({ variables: { versionId, input } }).catch(() => null);
    const result = setup?.data?.applySetup;
    if (!result) return;
    // trainInput is the TrainModelInput the API built for this setup, sent as it is.
    const job = await train({
      variables: { input: result.trainInput as unknown as TrainModelInput },
    }).catch(() => null);
    if (job?.data?.trainModel) onStarted(job.data.trainModel, result);
  };

  const problems = Object.entries(fieldErrors(applied.error ?? trained.error));
  const failure = applied.error ?? trained.error;

  return (
    <form
      aria-label="Train with this setup"
      noValidate
      onSubmit={(e) => void submit(e)}
      className="space-y-4"
    >
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Start from</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {(['DETERMINISTIC', 'AI'] as const).map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name={`setup-source-${versionId}`}
                value={s}
                checked={source === s}
                disabled={s === 'AI' && !ai}
                onChange={() => choose(s)}
                className="h-4 w-4 focus-visible:outline-2 focus-visible:outline-indigo-600"
              />
              {SOURCE_LABEL[s]} recommendation
              {s === 'AI' && !ai && <span className="text-slate-600">(not available)</span>}
            </label>
          ))}
        </div>
      </fieldset>

      <p className="text-sm text-slate-800">
        Model:{' '}
        <span className="font-medium">
          {recommendation.model
            ? modelTypeLabel(recommendation.model.type)
            : modelTypeLabel('LOGISTIC_REGRESSION')}
        </span>{' '}
        with the recommendation’s params.
      </p>

      <div className="overflow-x-auto">
        <table className={tableClass}>
          <caption className="sr-only">
            Columns to train on: ticked ones are used; flagged ones stay out unless ticked
          </caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={thClass}>
                Use
              </th>
              <th scope="col" className={thClass}>
                Column
              </th>
              <th scope="col" className={thClass}>
                Role
              </th>
              <th scope="col" className={thClass}>
                Recommendation
              </th>
              <th scope="col" className={thClass}>
                Why
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {choices.map((c) => {
              const own = flags.get(c.name) ?? [];
              const on = used.has(c.name);
              const changed = on !== c.recommended;
              return (
                <tr key={c.name} className={changed ? 'bg-indigo-50' : undefined}>
                  <td className={tdClass}>
                    <input
                      type="checkbox"
                      aria-label={`Use ${c.name}`}
                      checked={on}
                      disabled={c.locked || busy}
                      onChange={(e) => toggle(c.name, e.target.checked)}
                      className="h-4 w-4 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    />
                  </td>
                  <th scope="row" className={`${tdClass} font-mono font-medium`}>
                    {c.name}
                  </th>
                  <td className={tdClass}>{ROLE_LABEL[c.role]}</td>
                  <td className={tdClass}>
                    <div className="flex flex-wrap gap-1">
                      {c.recommended ? <Badge tone="good">Used</Badge> : <Badge>Left out</Badge>}
                      {own.map((f) => (
                        <FlagBadge key={f.kind} flag={f} />
                      ))}
                      {changed && (
                        <Badge tone="info">{on ? 'Kept by you' : 'Left out by you'}</Badge>
                      )}
                    </div>
                  </td>
                  <td className={`${tdClass} text-xs`}>{c.reason}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {keptFlagged.length > 0 && (
        <p className="rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-300">
          Kept although flagged as possible leakage: <strong>{keptFlagged.join(', ')}</strong>. A
          value recorded after the outcome makes a model look good in training and fail in use.
        </p>
      )}
      {used.size === 0 && (
        <p className="text-sm text-amber-900">Tick at least one column to train on.</p>
      )}

      {failure && (
        <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">
            {applied.error ? 'The setup was not applied.' : 'Training did not start.'}
          </p>
          <p>{errorMessage(failure)}</p>
          {problems.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {problems.map(([path, message]) => (
                <li key={path}>
                  <span className="font-mono">{path}</span>: {message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonPrimary} disabled={busy || used.size === 0}>
          Train with this
        </button>
        <p role="status" className="text-sm text-slate-700">
          {applied.loading ? 'Applying the setup…' : trained.loading ? 'Starting training…' : ''}
        </p>
      </div>
    </form>
  );
}
