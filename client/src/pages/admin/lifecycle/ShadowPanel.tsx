import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { ErrorState, errorMessage } from '../../../ui/ErrorState';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Spinner } from '../../../ui/Spinner';
import { Field } from '../components/Field';
import { Section } from '../components/Section';
import { buttonPrimary, buttonSecondary, linkClass } from '../components/styles';
import { modelName } from '../models/modelLabels';
import { ModelComparisonView } from './ModelComparisonView';
import { MODEL_COMPARISON, SHADOW_MODEL, SHADOW_STATUS, STOP_SHADOW_MODEL } from './operations';
import { namer, optionLabel, shadowCandidates, type ModelOption } from './usableModels';

const REFETCH = ['AdminShadowStatus'];

/** The shadow model (scored alongside, not shown) and how it compares with the champion. */
export function ShadowPanel({ models }: { models: readonly ModelOption[] }) {
  const status = useQuery(SHADOW_STATUS);
  const [choice, setChoice] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [start, started] = useMutation(SHADOW_MODEL, { refetchQueries: REFETCH });
  const [stop, stopped] = useMutation(STOP_SHADOW_MODEL, { refetchQueries: REFETCH });
  const shadow = status.data?.shadowStatus;
  const championId = status.data?.trainingReadiness.deployedModelId;
  const comparison = useQuery(MODEL_COMPARISON, {
    variables: { championId: championId ?? '', challengerId: shadow?.modelId ?? '' },
    skip: !shadow?.modelId || !championId,
  });
  const nameOf = namer(models);
  const failure = started.error ?? stopped.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!choice) return setProblem('Choose a model to shadow.');
    setProblem(null);
    void start({ variables: { id: choice } }).catch(() => undefined);
  };

  let body;
  if (!status.data) {
    body = status.error ? (
      <ErrorState error={status.error} onRetry={() => void status.refetch()} />
    ) : (
      <Spinner label="Loading shadow status" />
    );
  } else if (shadow?.modelId) {
    body = (
      <div className="space-y-3">
        <p className="text-sm text-slate-800">
          <Link to={`/admin/models/${shadow.modelId}`} className={linkClass}>
            {nameOf(shadow.modelId)}
          </Link>{' '}
          scores every lead alongside{' '}
          {status.data.trainingReadiness &&
            modelName({
              type: status.data.trainingReadiness.deployedModelType,
              version: status.data.trainingReadiness.deployedModelVersion,
            })}{' '}
          since <RelativeTime at={shadow.since} />; its scores are stored, not shown.
        </p>
        {comparison.data ? (
          <ModelComparisonView comparison={comparison.data.modelComparison} nameOf={nameOf} />
        ) : comparison.error ? (
          <ErrorState error={comparison.error} onRetry={() => void comparison.refetch()} />
        ) : (
          <Spinner label="Comparing the models" />
        )}
        <button
          type="button"
          className={buttonSecondary}
          disabled={stopped.loading}
          onClick={() => void stop().catch(() => undefined)}
        >
          Stop shadow
        </button>
      </div>
    );
  } else {
    const candidates = shadowCandidates(models);
    body = (
      <form aria-label="Start a shadow model" noValidate onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-700">No shadow model.</p>
        <div className="max-w-sm">
          <Field
            label="Model to shadow"
            error={problem ?? undefined}
            hint="A trained model, ready or retired."
          >
            {(p) => (
              <select {...p} value={choice} onChange={(e) => setChoice(e.target.value)}>
                <option value="">Choose a model</option>
                {candidates.map((m) => (
                  <option key={m.id} value={m.id}>
                    {optionLabel(m)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className={buttonPrimary} disabled={started.loading}>
          Start shadow
        </button>
      </form>
    );
  }

  return (
    <Section title="Shadow model">
      {body}
      {failure && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {errorMessage(failure)}
        </p>
      )}
    </Section>
  );
}
