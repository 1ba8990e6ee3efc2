import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';

import type { RetrainingTrigger } from '../../../gql/graphql';
import { ErrorState } from '../../../ui/ErrorState';
import { Spinner } from '../../../ui/Spinner';
import { apiError } from '../components/apiErrors';
import { Field } from '../components/Field';
import { Pager } from '../components/Pager';
import { Section } from '../components/Section';
import { buttonPrimary } from '../components/styles';
import { DecisionsTable } from './DecisionsTable';
import { MODEL_DECISIONS, RUN_RETRAINING } from './operations';

const PAGE_SIZE = 20;
const POLL_MS = 5000;

/** Retrain now, and every retraining with its decision (refreshed while one runs). */
export function Decisions({ nameOf }: { nameOf: (modelId: string) => string }) {
  const [page, setPage] = useState(1);
  const [trigger, setTrigger] = useState<RetrainingTrigger | ''>('');
  const [notice, setNotice] = useState<string | null>(null);
  const { data, error, refetch, startPolling, stopPolling } = useQuery(MODEL_DECISIONS, {
    variables: { page, limit: PAGE_SIZE, trigger: trigger || null },
  });
  const items = data?.modelDecisions.items;
  const running = Boolean(items?.some((d) => d.status === 'RUNNING'));
  // Refreshed while a retraining runs, until its decision is in.
  useEffect(() => {
    if (!running) return;
    startPolling(POLL_MS);
    return () => stopPolling();
  }, [running, startPolling, stopPolling]);
  const [run, ran] = useMutation(RUN_RETRAINING, { refetchQueries: ['AdminModelDecisions'] });

  const retrain = async () => {
    setNotice(null);
    const result = await run().catch(() => null);
    if (result?.data) setNotice('Retraining started; its decision appears below as it runs.');
  };

  return (
    <Section
      title="Retraining decisions"
      actions={
        <button
          type="button"
          className={buttonPrimary}
          onClick={() => void retrain()}
          disabled={ran.loading}
        >
          {ran.loading ? 'Starting…' : 'Run retraining now'}
        </button>
      }
    >
      {notice && (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {notice}
        </p>
      )}
      {ran.error && (
        <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {apiError(ran.error).code === 'CONFLICT' ? 'Not started: ' : ''}
          {apiError(ran.error).message}
        </p>
      )}
      <div className="mb-3 max-w-xs">
        <Field label="Trigger">
          {(p) => (
            <select
              {...p}
              value={trigger}
              onChange={(e) => {
                setTrigger(e.target.value as RetrainingTrigger | '');
                setPage(1);
              }}
            >
              <option value="">Any trigger</option>
              <option value="MANUAL">Manual</option>
              <option value="SCHEDULE">Schedule</option>
              <option value="DRIFT">Drift</option>
            </select>
          )}
        </Field>
      </div>
      {error && !data ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Spinner label="Loading decisions" />
      ) : (
        <>
          <DecisionsTable decisions={data.modelDecisions.items} nameOf={nameOf} />
          <Pager
            page={data.modelDecisions.page}
            totalPages={data.modelDecisions.totalPages}
            total={data.modelDecisions.total}
            label="Decisions"
            onPage={setPage}
          />
        </>
      )}
    </Section>
  );
}
