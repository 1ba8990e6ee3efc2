import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';

import { ErrorState, errorMessage } from '../../../ui/ErrorState';
import { Spinner } from '../../../ui/Spinner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Pager } from '../components/Pager';
import { Section } from '../components/Section';
import { ARCHIVE_DATASET_VERSION, DATASET_VERSIONS } from './operations';
import { DatasetVersionsTable, type DatasetVersionRow } from './DatasetVersionsTable';

const PAGE_SIZE = 20;

/** The paged list, with archived versions on request, and archiving behind a confirmation. */
export function DatasetVersionsList({
  selectedId,
  onLineage,
  onSetup,
}: {
  selectedId: string | null;
  onLineage: (id: string) => void;
  onSetup?: (id: string) => void;
}) {
  const [page, setPage] = useState(1);
  const [includeArchived, setIncludeArchived] = useState(false);
  const [archiving, setArchiving] = useState<DatasetVersionRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { data, loading, error, refetch } = useQuery(DATASET_VERSIONS, {
    variables: { page, limit: PAGE_SIZE, includeArchived },
  });
  const [archive, archived] = useMutation(ARCHIVE_DATASET_VERSION, {
    refetchQueries: ['AdminDatasetVersions'],
  });

  const confirmArchive = async () => {
    if (!archiving) return;
    const result = await archive({ variables: { id: archiving.id } }).catch(() => null);
    if (!result) return;
    setNotice(`Archived “${archiving.name}”. It stays readable; lists hide it.`);
    setArchiving(null);
  };

  const list = data?.datasetVersions;
  return (
    <Section
      title="All versions"
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={includeArchived}
            onChange={(e) => {
              setIncludeArchived(e.target.checked);
              setPage(1);
            }}
            className="h-4 w-4 focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
          Include archived
        </label>
      }
    >
      {notice && (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {notice}
        </p>
      )}
      {error && !list ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !list && loading ? (
        <Spinner label="Loading dataset versions" />
      ) : list ? (
        <>
          <DatasetVersionsTable
            items={list.items}
            selectedId={selectedId}
            onLineage={onLineage}
            onSetup={onSetup}
            onArchive={(v) => {
              archived.reset();
              setArchiving(v);
            }}
          />
          <Pager
            page={list.page}
            totalPages={list.totalPages}
            total={list.total}
            label="Dataset versions"
            onPage={setPage}
          />
        </>
      ) : null}
      {archiving && (
        <ConfirmDialog
          title={`Archive “${archiving.name}”?`}
          confirmLabel="Confirm archive"
          danger
          busy={archived.loading}
          error={archived.error ? errorMessage(archived.error) : undefined}
          onCancel={() => setArchiving(null)}
          onConfirm={() => void confirmArchive()}
        >
          <p>
            The version is hidden from lists but stays readable. A version a deployed model uses
            cannot be archived.
          </p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
