import { Link } from 'react-router';

import type { AdminTrainingJobFragment } from '../../../gql/graphql';
import { formatPercent } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { Badge } from '../components/Badge';
import {
  buttonSecondary,
  linkClass,
  numClass,
  tableClass,
  tdClass,
  thClass,
} from '../components/styles';
import { formatMetric, modelTypeLabel } from './modelLabels';
import { isJobFinished, progressValue, STAGE_LABEL } from './trainingJob';
import { JOB_STATUS_TONE } from './TrainingProgress';

/** Recent jobs: status, stage, progress, the failure reason, the model they registered. */
export function TrainingJobsTable({
  jobs,
  followingId,
  onFollow,
}: {
  jobs: readonly AdminTrainingJobFragment[];
  followingId: string | null;
  onFollow: (job: AdminTrainingJobFragment) => void;
}) {
  if (jobs.length === 0) return <p className="text-sm text-slate-700">No training jobs yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <caption className="sr-only">Training jobs, newest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={thClass}>
              Requested
            </th>
            <th scope="col" className={thClass}>
              Type
            </th>
            <th scope="col" className={thClass}>
              Status
            </th>
            <th scope="col" className={thClass}>
              Stage
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Progress
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              AUC
            </th>
            <th scope="col" className={thClass}>
              Outcome
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {jobs.map((job) => (
            <tr key={job.id}>
              <td className={tdClass}>
                <RelativeTime at={job.createdAt} />
              </td>
              <th scope="row" className={`${tdClass} font-normal`}>
                {modelTypeLabel(job.modelType)}
                <div className="font-mono text-xs text-slate-600">{job.id}</div>
              </th>
              <td className={tdClass}>
                <Badge tone={JOB_STATUS_TONE[job.status]}>{job.status}</Badge>
              </td>
              <td className={tdClass}>{STAGE_LABEL[job.stage]}</td>
              <td className={numClass}>{formatPercent(progressValue(job.progress), 0)}</td>
              <td className={numClass}>{formatMetric(job.auc)}</td>
              <td className={tdClass}>
                {job.failure && <p className="text-red-800">{job.failure}</p>}
                {job.modelId && job.status === 'COMPLETED' && (
                  <Link to={`/admin/models/${job.modelId}`} className={linkClass}>
                    Open model <span className="sr-only">of job {job.id}</span>
                  </Link>
                )}
                {!isJobFinished(job.status) && job.id !== followingId && (
                  <button type="button" className={buttonSecondary} onClick={() => onFollow(job)}>
                    Follow <span className="sr-only">job {job.id}</span>
                  </button>
                )}
                {!isJobFinished(job.status) && job.id === followingId && (
                  <span className="text-slate-700">Followed above</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
