import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';

import { ErrorState } from '../../ui/ErrorState';
import { Spinner } from '../../ui/Spinner';
import { Section } from './components/Section';
import { linkClass } from './components/styles';
import { CalibrationTable } from './models/CalibrationTable';
import { DeployPanel } from './models/DeployPanel';
import { FeatureImportanceTable } from './models/FeatureImportanceTable';
import { MetricsPanel } from './models/MetricsPanel';
import { ModelFacts } from './models/ModelFacts';
import { modelName } from './models/modelLabels';
import { ML_MODEL, MODEL_PERFORMANCE } from './models/modelOperations';
import { RocChart } from './models/RocChart';

/** One model: deployment, test metrics, ROC and calibration, importances, how it was trained. */
export default function ModelPage() {
  const { id = '' } = useParams();
  const model = useQuery(ML_MODEL, { variables: { id } });
  const m = model.data?.mlModel;
  // Only an evaluated model has a ROC curve and a calibration table.
  const performance = useQuery(MODEL_PERFORMANCE, { variables: { id }, skip: !m?.metrics });

  if (!m) {
    return (
      <div className="space-y-4">
        <BackLink />
        {model.error ? (
          <>
            <h1 className="text-2xl font-semibold text-slate-900">Model not available</h1>
            <ErrorState error={model.error} onRetry={() => void model.refetch()} />
          </>
        ) : (
          <Spinner label="Loading the model" />
        )}
      </div>
    );
  }

  const perf = performance.data?.modelPerformance;
  return (
    <div className="space-y-6">
      <BackLink />
      <h1 className="text-2xl font-semibold text-slate-900">
        {modelName(m)}{' '}
        <span className="font-mono text-sm font-normal text-slate-600">{m.type}</span>
      </h1>
      {m.failure && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900">
          Training failed: {m.failure}
        </p>
      )}

      <Section title="Deployment">
        <DeployPanel model={m} />
      </Section>

      <Section title="Test metrics">
        {m.metrics ? (
          <MetricsPanel metrics={m.metrics} />
        ) : (
          <p className="text-sm text-slate-700">
            No test metrics:{' '}
            {m.type === 'WEIGHTED_SUM'
              ? 'the weighted sum is not trained.'
              : 'the model has not been evaluated.'}
          </p>
        )}
      </Section>

      {m.metrics && (
        <Section title="ROC and calibration">
          {performance.error && !perf ? (
            <ErrorState error={performance.error} onRetry={() => void performance.refetch()} />
          ) : !perf ? (
            <Spinner label="Loading the ROC curve" />
          ) : (
            <div className="grid gap-6 xl:grid-cols-2">
              <RocChart points={perf.roc} auc={m.metrics.auc ?? null} />
              <CalibrationTable bins={perf.calibration} />
            </div>
          )}
        </Section>
      )}

      <Section title="Feature importance">
        <FeatureImportanceTable items={m.featureImportance} />
      </Section>

      <Section title="How it was trained">
        <ModelFacts model={m} />
      </Section>
    </div>
  );
}

function BackLink() {
  return (
    <Link to="/admin/models" className={`${linkClass} text-sm`}>
      <span aria-hidden="true">← </span>All models
    </Link>
  );
}
