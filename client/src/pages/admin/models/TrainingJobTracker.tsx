import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';

import type { AdminTrainingJobFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../ui/ErrorState';
import { CANCEL_TRAINING_JOB, TRAINING_JOB, TRAINING_JOB_UPDATED } from './operations';
import { isJobFinished, latestSnapshot } from './trainingJob';
import { TrainingProgress } from './TrainingProgress';

const POLL_MS = 2000;
/** Without a subscription event for this long, polling takes over. */
const QUIET_MS = 5000;

/**
 * Follows a job live through trainingJobUpdated; while the subscription is silent (failed, not
 * connected, or without an event for 5 s) it polls trainingJob every 2 s instead.
 */
export function TrainingJobTracker({
  initial,
  onFinished,
}: {
  initial: AdminTrainingJobFragment;
  onFinished: (job: AdminTrainingJobFragment) => void;
}) {
  // The subscription gets a grace period: polling starts only after QUIET_MS without an event.
  const [subscriptionLive, setSubscriptionLive] = useState(true);
  const [finished, setFinished] = useState(isJobFinished(initial.status));
  const quietTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const subscription = useSubscription(TRAINING_JOB_UPDATED, {
    variables: { jobId: initial.id },
    skip: finished,
    onData: () => {
      setSubscriptionLive(true);
      clearTimeout(quietTimer.current);
      quietTimer.current = setTimeout(() => setSubscriptionLive(false), QUIET_MS);
    },
  });
  useEffect(() => {
    quietTimer.current = setTimeout(() => setSubscriptionLive(false), QUIET_MS);
    return () => clearTimeout(quietTimer.current);
  }, []);

  const polling = !finished && (!subscriptionLive || Boolean(subscription.error));
  const poll = useQuery(TRAINING_JOB, {
    variables: { id: initial.id },
    pollInterval: polling ? POLL_MS : 0,
    notifyOnNetworkStatusChange: false,
  });

  const job =
    latestSnapshot(
      latestSnapshot(initial, poll.data?.trainingJob),
      subscription.data?.trainingJobUpdated,
    ) ?? initial;

  const reported = useRef(false);
  useEffect(() => {
    if (isJobFinished(job.status) && !reported.current) {
      reported.current = true;
      setFinished(true);
      onFinished(job);
    }
  }, [job, onFinished]);

  const [cancel, cancelled] = useMutation(CANCEL_TRAINING_JOB);

  return (
    <TrainingProgress
      job={job}
      live={polling ? 'polling' : 'subscription'}
      onCancel={() => void cancel({ variables: { id: job.id } }).catch(() => undefined)}
      cancelling={cancelled.loading}
      cancelError={cancelled.error ? errorMessage(cancelled.error) : undefined}
    />
  );
}
