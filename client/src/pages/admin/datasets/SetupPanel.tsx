import { useQuery } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';

import type {
  AdminDatasetProfileQuery,
  AdminSetupFlagFragment,
  AdminTrainingJobFragment,
} from '../../../gql/graphql';
import { ErrorState, errorMessage } from '../../../ui/ErrorState';
import { formatInteger } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Spinner } from '../../../ui/Spinner';
import { Section } from '../components/Section';
import { buttonSecondary, linkClass } from '../components/styles';
import { formatMetric, modelTypeLabel } from '../models/modelLabels';
import { TrainingJobTracker } from '../models/TrainingJobTracker';
import { ProfileTable } from './ProfileTable';
import { RecommendationsSideBySide } from './RecommendationCard';
import { SetupFlags } from './SetupFlags';
import { DATASET_PROFILE, RECOMMEND_SETUP } from './setupOperations';
import { flagsByColumn, isProfiling, SOURCE_LABEL } from './setup';
import { TrainWithSetup, type AppliedSetup } from './TrainWithSetup';

// Every 2 s, as the other progress on these pages: the API allows 60 requests a minute.
const POLL_MS = 2000;

const subheading = 'text-base font-semibold text-slate-900';

/**
 * A dataset version's guided setup: its profile (polled while a worker computes it), the leakage
 * screen's flags, the deterministic and AI recommendations side by side, and "Train with this".
 */
export function SetupPanel({
  id,
  name,
  onClose,
  pollMs = POLL_MS,
}: {
  id: string;
  name?: string;
  onClose: () => void;
  pollMs?: number;
}) {
  const { data, error, refetch, startPolling, stopPolling } = useQuery(DATASET_PROFILE, {
    variables: { versionId: id },
    notifyOnNetworkStatusChange: false,
  });
  const result = data?.datasetProfile;
  const status = result?.status;
  const profiling = status !== undefined && isProfiling(status);
  useEffect(() => {
    if (!profiling) return;
    startPolling(pollMs);
    return () => stopPolling();
  }, [profiling, pollMs, startPolling, stopPolling]);

  const flags = useMemo(() => flagsByColumn(result?.flags ?? []), [result?.flags]);

  return (
    <Section
      title={name ? `Setup of “${name}”` : 'Model setup'}
      actions={
        <button type="button" className={buttonSecondary} onClick={onClose}>
          Close setup
        </button>
      }
    >
      {!result ? (
        error ? (
          <ErrorState error={error} onRetry={() => void refetch().catch(() => undefined)} />
        ) : (
          <Spinner label="Loading the profile" />
        )
      ) : profiling ? (
        <div className="space-y-2">
          <Spinner
            label={
              status === 'PENDING'
                ? result.queued
                  ? 'Profile queued for a worker (a large version)'
                  : 'Profile queued'
                : 'Profiling the columns'
            }
          />
          <p className="text-sm text-slate-700">
            Requested <RelativeTime at={result.requestedAt} />. Checked again every{' '}
            {Math.round(pollMs / 1000) || 1} seconds until it is ready.
          </p>
          {error && (
            <p className="text-sm text-amber-900">
              Could not read the profile ({errorMessage(error)}); retrying.
            </p>
          )}
        </div>
      ) : result.status === 'FAILED' ? (
        <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">Profiling failed.</p>
          <p>{result.error ?? 'No reason given.'}</p>
          <button
            type="button"
            className={`${buttonSecondary} mt-2`}
            onClick={() => void refetch().catch(() => undefined)}
          >
            Profile again
          </button>
        </div>
      ) : result.profile ? (
        <div className="space-y-5">
          <ProfileSummary profile={result.profile} durationMs={result.durationMs} />
          <div>
            <h3 className={subheading}>Flags ({result.flags.length})</h3>
            <p className="mb-2 text-sm text-slate-700">
              A flagged column is never dropped silently: it stays out of the recommendation, and
              you may keep it below.
            </p>
            <SetupFlags flags={result.flags} />
          </div>
          <div>
            <h3 className={subheading}>Columns</h3>
            <ProfileTable columns={result.profile.columns} flags={flags} />
          </div>
          <SetupAdvice versionId={id} flags={flags} />
        </div>
      ) : null}
    </Section>
  );
}

function ProfileSummary({
  profile,
  durationMs,
}: {
  profile: NonNullable<AdminDatasetProfileQuery['datasetProfile']['profile']>;
  durationMs: number | null;
}) {
  return (
    <div className="space-y-1 text-sm text-slate-800">
      <p>
        {formatInteger(profile.rows)} rows, {formatInteger(profile.positives)} converted
        {profile.sampled
          ? `; profiled on a sample of ${formatInteger(profile.sampleRows)} (seed ${profile.seed})`
          : ''}
        . Quick model ({profile.quickModel.type}) held-out AUC{' '}
        <span className="font-medium tabular-nums">{formatMetric(profile.quickModel.auc)}</span>
        {durationMs !== null ? `, profiled in ${(durationMs / 1000).toFixed(1)} s` : ''}.
      </p>
      {profile.split && (
        <p className="text-slate-700">
          Split: {profile.split.method} ({formatInteger(profile.split.trainRows)} train,{' '}
          {formatInteger(profile.split.testRows)} held out): {profile.split.reason}
        </p>
      )}
      {profile.notes.length > 0 && (
        <ul className="list-disc pl-5 text-slate-700">
          {profile.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The recommendations (asked for once the profile is ready) and training with one of them. */
function SetupAdvice({
  versionId,
  flags,
}: {
  versionId: string;
  flags: ReadonlyMap<string, readonly AdminSetupFlagFragment[]>;
}) {
  const { data, error, loading, refetch } = useQuery(RECOMMEND_SETUP, {
    variables: { versionId },
  });
  const [started, setStarted] = useState<{
    job: AdminTrainingJobFragment;
    applied: AppliedSetup;
  } | null>(null);
  const rec = data?.recommendSetup;

  return (
    <>
      <div>
        <h3 className={subheading}>Recommendations</h3>
        {!rec ? (
          error ? (
            <ErrorState error={error} onRetry={() => void refetch().catch(() => undefined)} />
          ) : loading ? (
            <Spinner label="Preparing the recommendations" />
          ) : null
        ) : (
          <div className="space-y-3">
            {rec.applied && (
              <p className="text-sm text-slate-700">
                Last applied: the {SOURCE_LABEL[rec.applied.source].toLowerCase()} recommendation,{' '}
                {modelTypeLabel(rec.applied.modelType)}
                {rec.applied.keptFlagged.length > 0
                  ? `, keeping flagged ${rec.applied.keptFlagged.join(', ')}`
                  : ''}
                , <RelativeTime at={rec.applied.appliedAt} />.
              </p>
            )}
            <RecommendationsSideBySide
              deterministic={rec.deterministic}
              ai={rec.ai}
              aiModel={rec.aiModel}
              aiUnavailableReason={rec.aiUnavailableReason}
            />
          </div>
        )}
      </div>
      {rec?.deterministic && (
        <div>
          <h3 className={subheading}>Train with this</h3>
          <TrainWithSetup
            versionId={versionId}
            deterministic={rec.deterministic}
            ai={rec.ai}
            flags={flags}
            onStarted={(job, applied) => setStarted({ job, applied })}
          />
        </div>
      )}
      {started && (
        <div>
          <h3 className={subheading}>Training job</h3>
          <p className="mb-2 text-sm text-slate-700">
            Applied the {SOURCE_LABEL[started.applied.source].toLowerCase()} recommendation
            {started.applied.keptFlagged.length > 0
              ? `, keeping flagged ${started.applied.keptFlagged.join(', ')}`
              : ''}
            . Every job is also listed on{' '}
            <Link to="/admin/models" className={linkClass}>
              the models page
            </Link>
            .
          </p>
          <TrainingJobTracker key={started.job.id} initial={started.job} onFinished={noop} />
        </div>
      )}
    </>
  );
}

function noop() {}
