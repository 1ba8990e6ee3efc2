import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';

import type { AdminDatasetBuildFragment } from '../../gql/graphql';
import { Section } from './components/Section';
import { BuildProgress } from './datasets/BuildProgress';
import { ComparePanel } from './datasets/ComparePanel';
import { CreateDatasetVersionForm } from './datasets/CreateDatasetVersionForm';
import { DatasetVersionsList } from './datasets/DatasetVersionsList';
import { LineagePanel } from './datasets/LineagePanel';
import { SetupPanel } from './datasets/SetupPanel';
import { DATASET_VERSIONS } from './datasets/operations';

/** Dataset versions: the list, a new version with its build followed, lineage and comparison. */
export default function DatasetsPage() {
  const [params, setParams] = useSearchParams();
  const lineageId = params.get('version');
  const setupId = params.get('setup');
  const [build, setBuild] = useState<AdminDatasetBuildFragment | null>(null);
  const apollo = useApolloClient();
  // Every version (archived too) for the parent and comparison pickers.
  const all = useQuery(DATASET_VERSIONS, {
    variables: { page: 1, limit: 200, includeArchived: true },
  });
  const options = all.data?.datasetVersions.items ?? [];

  const setParam = (key: 'version' | 'setup', id: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set(key, id);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const showLineage = (id: string | null) => setParam('version', id);
  const showSetup = (id: string | null) => setParam('setup', id);

  const onFinished = useCallback(
    (done: AdminDatasetBuildFragment) => {
      if (done.status === 'COMPLETED')
        void apollo.refetchQueries({ include: ['AdminDatasetVersions'] });
    },
    [apollo],
  );

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold text-slate-900">Dataset versions</h1>
      <p className="max-w-3xl text-sm text-slate-700">
        Immutable snapshots of the closed leads, as training rows. Models train on a version; the
        same rows and transformation always give back the same version.
      </p>
      <DatasetVersionsList selectedId={lineageId} onLineage={showLineage} onSetup={showSetup} />
      {setupId && (
        <SetupPanel
          key={setupId}
          id={setupId}
          name={options.find((v) => v.id === setupId)?.name}
          onClose={() => showSetup(null)}
        />
      )}
      {lineageId && (
        <LineagePanel id={lineageId} onSelect={showLineage} onClose={() => showLineage(null)} />
      )}
      <Section title="Create a version">
        <CreateDatasetVersionForm parents={options} onCreated={setBuild} />
        {build && <BuildProgress key={build.id} initial={build} onFinished={onFinished} />}
      </Section>
      <ComparePanel versions={options} />
    </div>
  );
}
