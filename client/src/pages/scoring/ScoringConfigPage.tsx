import { useQuery } from '@apollo/client/react';

import { ErrorState } from '../../ui/ErrorState';
import { Spinner } from '../../ui/Spinner';
import { ConfigEditor } from './ConfigEditor';
import { SCORING_CONFIG } from './operations';
import { SavedBy } from './SavedBy';

/** `/scoring`: the tenant's scoring configuration, for managers and admins to tune. */
export default function ScoringConfigPage() {
  const { data, error, refetch } = useQuery(SCORING_CONFIG);
  const config = data?.scoringConfig;

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold text-slate-900">Scoring configuration</h1>
        {config && (
          <SavedBy
            version={config.version}
            createdAt={config.createdAt}
            createdBy={config.createdBy}
          />
        )}
      </header>
      {config ? (
        <ConfigEditor config={config} />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch().catch(() => undefined)} />
      ) : (
        <Spinner label="Loading the scoring configuration" />
      )}
    </div>
  );
}
