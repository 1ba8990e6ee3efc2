import { Link } from 'react-router';

import type { AdminTrainingJobFragment, TrainingJobStatus } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge, type Tone } from '../components/Badge';
import { buttonSecondary, linkClass, progressClass } from '../components/styles';
import { formatMetric, modelTypeLabel } from './modelLabels';
import { isJobFinished, progressValue, STAGE_LABEL } from './trainingJob';

export const JOB_STATUS_TONE: Record<TrainingJobStatus, Tone> = {
  QUEUED: 'neutral',
  ACTIVE: 'info',
  COMPLETED: 'good',
  FAILED: 'bad',
  CANCELLED: 'warn',
};

/** One training job as it goes: status, stage, iteration, a progress bar, then the outcome. */
export function TrainingProgress({
  job,
  onCancel,
  cancelling = false,
  cancelError,
  live,
}: {
  job: AdminTrainingJobFragment;
  onCancel?: () => void;
  cancelling?: boolean;
  cancelError?: string;
  /** How updates arrive, said under the bar. */
  live?: 'subscription' | 'polling';
}) {
  const finished = isJobFinished(job.status);
  const value = progressValue(job.progress);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-800">
        {modelTypeLabel(job.modelType)} on dataset version{' '}
        <span className="font-mono">{job.datasetVersionId}</span>, seed {job.seed}, requested{' '}
        <RelativeTime at={job.createdAt} />.
      </p>
      <p role="status" className="flex flex-wrap items-center gap-2 text-sm text-slate-900">
        <span className="font-medium">Status:</span>{' '}
        <Badge tone={JOB_STATUS_TONE[job.status]}>{job.status}</Badge>{' '}
        <span>{STAGE_LABEL[job.stage]}</span>
        {job.cancelRequested && !finished && <span> (cancel requested)</span>}
      </p>
      <div>
        <progress aria-label="Training progress" max={1} value={value} className={progressClass} />
        <p className="mt-1 flex flex-wrap gap-x-4 text-sm text-slate-700">
          <span>{formatPercent(value, 0)} done</span>
          {job.maxIterations > 0 && (
            <span>
              Iteration {formatInteger(job.iteration)} of {formatInteger(job.maxIterations)}
            </span>
          )}
          {live && !finished && (
            <span>{live === 'subscription' ? 'Live updates' : 'Checking every 2 seconds'}</span>
          )}
        </p>
      </div>
      {job.status === 'FAILED' && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900">
          Training failed: {job.failure ?? 'no reason given.'}
        </p>
      )}
      {job.status === 'CANCELLED' && (
        <p className="text-sm text-slate-800">The job was cancelled; no model was registered.</p>
      )}
      {job.status === 'COMPLETED' && (
        <p className="text-sm text-slate-800">
          Test AUC {formatMetric(job.auc)}.{' '}
          {job.modelId && (
            <Link to={`/admin/models/${job.modelId}`} className={linkClass}>
              Open the trained model
            </Link>
          )}
        </p>
      )}
      {!finished && onCancel && (
        <button
          type="button"
          className={buttonSecondary}
          onClick={onCancel}
          disabled={cancelling || job.cancelRequested}
        >
          {cancelling ? 'Cancelling…' : 'Cancel training'}
        </button>
      )}
      {cancelError && (
        <p role="alert" className="text-sm text-red-700">
          {cancelError}
        </p>
      )}
    </div>
  );
}
