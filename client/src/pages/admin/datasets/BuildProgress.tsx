import { useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';

import type { AdminDatasetBuildFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../ui/ErrorState';
import { isBuildFinished } from './build';
import { BuildStatus } from './BuildStatus';
import { DATASET_VERSION_BUILD } from './operations';

// Every 2 s: the API allows a user 60 requests a minute by default.
const POLL_MS = 2000;

/** Follows a build: polls datasetVersionBuild until it completes or fails, then says so once. */
export function BuildProgress({
  initial,
  onFinished,
}: {
  initial: AdminDatasetBuildFragment;
  onFinished: (build: AdminDatasetBuildFragment) => void;
}) {
  const startedFinished = isBuildFinished(initial.status);
  const [polling, setPolling] = useState(!startedFinished);
  const { data, error } = useQuery(DATASET_VERSION_BUILD, {
    variables: { id: initial.id },
    skip: startedFinished,
    pollInterval: polling ? POLL_MS : 0,
    fetchPolicy: 'network-only',
  });
  const build = data?.datasetVersionBuild ?? initial;
  const finished = isBuildFinished(build.status);
  const reported = useRef(false);

  useEffect(() => {
    if (finished && !reported.current) {
      reported.current = true;
      setPolling(false);
      onFinished(build);
    }
  }, [finished, build, onFinished]);

  return (
    <div className="mt-4 space-y-2">
      <BuildStatus build={build} />
      {error && !finished && (
        <p className="text-sm text-amber-900">
          Could not read the build’s progress ({errorMessage(error)}); retrying.
        </p>
      )}
    </div>
  );
}
