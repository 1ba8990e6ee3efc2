import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useState } from 'react';

import type { AdminTrainingJobFragment } from '../../gql/graphql';
import { ErrorState } from '../../ui/ErrorState';
import { Spinner } from '../../ui/Spinner';
import { Pager } from './components/Pager';
import { Section } from './components/Section';
import { ModelsTable } from './models/ModelsTable';
import {
  ML_MODELS,
  TRAINABLE_VERSIONS,
  TRAINING_JOBS,
  TRAINING_READINESS,
} from './models/operations';
import { ReadinessBanner } from './models/ReadinessBanner';
import { TrainingJobsTable } from './models/TrainingJobsTable';
import { TrainingJobTracker } from './models/TrainingJobTracker';
import { TrainModelForm } from './models/TrainModelForm';

const PAGE_SIZE = 20;

/** The model registry: readiness, training with live progress, the models and recent jobs. */
export default function ModelsPage() {
  const apollo = useApolloClient();
  const [page, setPage] = useState(1);
  const [following, setFollowing] = useState<AdminTrainingJobFragment | null>(null);
  const readiness = useQuery(TRAINING_READINESS);
  const models = useQuery(ML_MODELS, { variables: { page, limit: PAGE_SIZE } });
  const versions = useQuery(TRAINABLE_VERSIONS);
  const jobs = useQuery(TRAINING_JOBS, { variables: { page: 1, limit: 10 } });

  const onFinished = useCallback(() => {
    void apollo.refetchQueries({
      include: ['AdminMlModels', 'AdminTrainingJobs', 'AdminTrainingReadiness'],
    });
  }, [apollo]);

  const deployedId = readiness.data?.trainingReadiness.deployedModelId ?? null;
  const list = models.data?.mlModels;
  const jobItems = jobs.data?.trainingJobs.items ?? [];

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold text-slate-900">Models</h1>
      {readiness.data ? (
        <ReadinessBanner readiness={readiness.data.trainingReadiness} />
      ) : readiness.error ? (
        <ErrorState error={readiness.error} onRetry={() => void readiness.refetch()} />
      ) : null}

      <Section title="Train a model">
        <TrainModelForm
          versions={versions.data?.datasetVersions.items ?? []}
          onStarted={(job) => {
            setFollowing(job);
            void apollo.refetchQueries({ include: ['AdminTrainingJobs'] });
          }}
        />
      </Section>

      {following && (
        <Section title="Training job">
          <TrainingJobTracker key={following.id} initial={following} onFinished={onFinished} />
        </Section>
      )}

      <Section title="All models">
        {models.error && !list ? (
          <ErrorState error={models.error} onRetry={() => void models.refetch()} />
        ) : !list ? (
          <Spinner label="Loading models" />
        ) : (
          <>
            <ModelsTable models={list.items} deployedId={deployedId} />
            <Pager
              page={list.page}
              totalPages={list.totalPages}
              total={list.total}
              label="Models"
              onPage={setPage}
            />
          </>
        )}
      </Section>

      <Section title="Recent training jobs">
        {jobs.error && !jobs.data ? (
          <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
        ) : !jobs.data ? (
          <Spinner label="Loading training jobs" />
        ) : (
          <TrainingJobsTable
            jobs={jobItems}
            followingId={following?.id ?? null}
            onFollow={setFollowing}
          />
        )}
      </Section>
    </div>
  );
}
