import { useApolloClient, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';

import { formatInteger } from '../../ui/format';
import { isFinal, mergeProgress, statusText, type JobProgressState } from './jobState';
import { BATCH_SCORING_PROGRESS, SCORING_JOB } from './operations';

export const POLL_MS = 2_000;

/**
 * A rescoring job's progress: live from batchScoringProgress, and from scoringJob every `pollMs`
 * while no event has arrived for that long (a dropped socket, a missed event), until it ends.
 */
export function JobProgress({
  jobId,
  initial,
  pollMs = POLL_MS,
}: {
  jobId: string;
  initial: JobProgressState | null;
  pollMs?: number;
}) {
  const apollo = useApolloClient();
  const [progress, setProgress] = useState<JobProgressState | null>(initial);
  const lastEventAt = useRef(0);
  const done = isFinal(progress);

  useSubscription(BATCH_SCORING_PROGRESS, {
    variables: { jobId },
    skip: done,
    ignoreResults: true,
    onData: ({ data }) => {
      const event = data.data?.batchScoringProgress;
      if (!event) return;
      lastEventAt.current = Date.now();
      setProgress((prev) => mergeProgress(prev, event));
    },
  });

  useEffect(() => {
    if (done) return;
    let cancelled = false;
    const timer = setInterval(() => {
      if (Date.now() - lastEventAt.current < pollMs) return;
      apollo
        .query({ query: SCORING_JOB, variables: { jobId }, fetchPolicy: 'network-only' })
        .then(({ data }) => {
          if (!cancelled && data) setProgress((prev) => mergeProgress(prev, data.scoringJob));
        })
        .catch(() => undefined);
    }, pollMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [apollo, jobId, pollMs, done]);

  if (!progress) return <p className="text-sm text-slate-700">Waiting for the rescoring job…</p>;

  const known = progress.total > 0 || done;
  return (
    <div className="space-y-2">
      <label htmlFor={`progress-${jobId}`} className="block text-sm font-medium text-slate-800">
        Rescoring progress
      </label>
      <progress
        id={`progress-${jobId}`}
        className="h-3 w-full accent-indigo-600"
        max={known ? Math.max(progress.total, 1) : undefined}
        value={known ? (done && progress.total === 0 ? 1 : progress.processed) : undefined}
      />
      <p className="text-sm text-slate-700 tabular-nums">
        {formatInteger(progress.processed)} of {formatInteger(progress.total)} leads rescored ·{' '}
        {formatInteger(progress.changed)} changed
      </p>
      <p
        role="status"
        className={`text-sm font-medium ${progress.status === 'FAILED' ? 'text-red-800' : 'text-slate-900'}`}
      >
        {statusText(progress)}
      </p>
    </div>
  );
}
