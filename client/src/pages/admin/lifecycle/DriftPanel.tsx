import { useMutation, useQuery } from '@apollo/client/react';

import { Spinner } from '../../../ui/Spinner';
import { apiError } from '../components/apiErrors';
import { Section } from '../components/Section';
import { buttonPrimary } from '../components/styles';
import { DriftReportView } from './DriftReportView';
import { CHECK_MODEL_DRIFT, MODEL_DRIFT } from './operations';

/** The deployed model's latest drift report, and a check on demand. */
export function DriftPanel() {
  const { data, error, loading } = useQuery(MODEL_DRIFT);
  const [check, checked] = useMutation(CHECK_MODEL_DRIFT, {
    refetchQueries: ['AdminModelDrift'],
    awaitRefetchQueries: true,
  });
  const fresh = checked.data?.checkModelDrift;
  const stored = data?.modelDrift;
  const report =
    fresh && (!stored || Date.parse(fresh.computedAt) >= Date.parse(stored.computedAt))
      ? fresh
      : stored;
  // The weighted sum has no training data: BAD_USER_INPUT says so, it is not a failure.
  const unavailable = error ? apiError(error) : null;

  return (
    <Section
      title="Drift"
      actions={
        <button
          type="button"
          className={buttonPrimary}
          disabled={checked.loading}
          onClick={() => void check().catch(() => undefined)}
        >
          {checked.loading ? 'Checking…' : 'Check drift now'}
        </button>
      }
    >
      {checked.error && (
        <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {apiError(checked.error).message}
        </p>
      )}
      {report ? (
        <DriftReportView report={report} />
      ) : unavailable ? (
        <p className="text-sm text-slate-800">
          {unavailable.code === 'BAD_USER_INPUT' ? 'No drift report: ' : 'Could not load drift: '}
          {unavailable.message}
        </p>
      ) : loading ? (
        <Spinner label="Loading drift" />
      ) : (
        <p className="text-sm text-slate-700">No drift check yet for the deployed model.</p>
      )}
    </Section>
  );
}
