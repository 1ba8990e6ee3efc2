import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';

import { ErrorState, errorMessage } from '../../../ui/ErrorState';
import { Spinner } from '../../../ui/Spinner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { Section } from '../components/Section';
import { buttonSecondary } from '../components/styles';
import { AbTestReport } from './AbTestReport';
import { AbTestStartForm } from './AbTestStartForm';
import { rememberAbTestId, rememberedAbTestId } from './abTestStore';
import { AB_TEST, STOP_AB_TEST } from './operations';
import { abTestCandidates, namer, type ModelOption } from './usableModels';

type Winner = '' | 'A' | 'B';

/**
 * The A/B test this browser knows of (the API lists none: abTest needs an id, which startAbTest
 * answers and a CONFLICT names), stopping it with or without a winner, or starting one.
 */
export function AbTestPanel({ models }: { models: readonly ModelOption[] }) {
  const [testId, setTestIdState] = useState<string | null>(() => rememberedAbTestId());
  const [lookup, setLookup] = useState('');
  const [stopping, setStopping] = useState(false);
  const [winner, setWinner] = useState<Winner>('');
  const [notice, setNotice] = useState<string | null>(null);
  const setTestId = (id: string | null) => {
    rememberAbTestId(id);
    setTestIdState(id);
  };
  const { data, error, refetch } = useQuery(AB_TEST, {
    variables: { id: testId ?? '' },
    skip: !testId,
  });
  const [stop, stopped] = useMutation(STOP_AB_TEST, {
    refetchQueries: ['AdminUsableModels', 'AdminShadowStatus'],
  });
  const test = testId ? data?.abTest : undefined;
  const nameOf = namer(models);
  const running = test?.status === 'RUNNING';

  const confirmStop = async () => {
    if (!test) return;
    const result = await stop({ variables: { id: test.id, winner: winner || null } }).catch(
      () => null,
    );
    if (!result) return;
    setStopping(false);
    setNotice(
      winner
        ? `Stopped; arm ${winner}'s model now scores every lead.`
        : 'Stopped; the deployed model scores every lead again.',
    );
  };

  const show = (event: FormEvent) => {
    event.preventDefault();
    if (lookup.trim()) setTestId(lookup.trim());
    setLookup('');
  };

  return (
    <Section
      title="A/B test"
      actions={
        running && (
          <button
            type="button"
            className={buttonSecondary}
            onClick={() => {
              stopped.reset();
              setWinner('');
              setStopping(true);
            }}
          >
            Stop A/B test
          </button>
        )
      }
    >
      {notice && (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {notice}
        </p>
      )}
      {testId && error && !test ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : testId && !test ? (
        <Spinner label="Loading the A/B test" />
      ) : test ? (
        <AbTestReport test={test} nameOf={nameOf} />
      ) : (
        <p className="text-sm text-slate-700">
          No A/B test known here. The API does not list tests: one started on this page, or named by
          the API when it refuses a deploy, shows here.
        </p>
      )}
      {!running && (
        <div className="mt-4">
          <h3 className="mb-2 text-base font-semibold text-slate-900">Start a test</h3>
          <AbTestStartForm
            models={abTestCandidates(models)}
            onStarted={(t) => {
              setNotice('A/B test started; the leads are being rescored by arm.');
              setTestId(t.id);
            }}
            onAlreadyRunning={(id) => {
              setNotice('A test is running already: it is shown above.');
              setTestId(id);
            }}
          />
        </div>
      )}
      <form
        aria-label="Show an A/B test by id"
        onSubmit={show}
        className="mt-4 flex flex-wrap items-end gap-2"
      >
        <div className="w-72">
          <Field label="Show a test by id">
            {(p) => <input {...p} value={lookup} onChange={(e) => setLookup(e.target.value)} />}
          </Field>
        </div>
        <button type="submit" className={buttonSecondary}>
          Show test
        </button>
        {testId && !running && (
          <button type="button" className={buttonSecondary} onClick={() => setTestId(null)}>
            Forget this test
          </button>
        )}
      </form>
      {stopping && test && (
        <ConfirmDialog
          title="Stop the A/B test?"
          confirmLabel="Confirm stop"
          busy={stopped.loading}
          error={stopped.error ? errorMessage(stopped.error) : undefined}
          onCancel={() => setStopping(false)}
          onConfirm={() => void confirmStop()}
        >
          <fieldset>
            <legend className="font-medium text-slate-900">Then</legend>
            {(
              [
                ['', 'Keep the deployed model for every lead'],
                ['A', `Deploy arm A: ${nameOf(test.modelA)}`],
                ['B', `Deploy arm B: ${nameOf(test.modelB)}`],
              ] as const
            ).map(([value, label]) => (
              <label key={value || 'none'} className="mt-1 flex items-center gap-2">
                <input
                  type="radio"
                  name="ab-winner"
                  value={value}
                  checked={winner === value}
                  onChange={() => setWinner(value)}
                  className="focus-visible:outline-2 focus-visible:outline-indigo-600"
                />
                {label}
              </label>
            ))}
          </fieldset>
        </ConfirmDialog>
      )}
    </Section>
  );
}
