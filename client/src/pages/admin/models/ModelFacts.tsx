import { Link } from 'react-router';

import type { AdminMlModelQuery } from '../../../gql/graphql';
import { formatInteger } from '../../../ui/format';
import { RelativeTime } from '../../../ui/RelativeTime';
import { describeTransformation } from '../datasets/transformation';
import { linkClass } from '../components/styles';

type Model = AdminMlModelQuery['mlModel'];

function show(value: unknown): string {
  if (value === null) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'none';
}

/** How the model was made: data, split, hyper-parameters, transformation, notes. */
export function ModelFacts({ model }: { model: Model }) {
  const params = Object.entries(model.params);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div>
        <h3 className="text-base font-semibold text-slate-900">Training</h3>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-700">Dataset version</dt>
          <dd>
            {model.datasetVersionId ? (
              <Link
                to={`/admin/datasets?version=${encodeURIComponent(model.datasetVersionId)}`}
                className={linkClass}
              >
                <span className="font-mono">{model.datasetVersionId}</span>
              </Link>
            ) : (
              'none (no training data)'
            )}
          </dd>
          <dt className="text-slate-700">Trained</dt>
          <dd>
            <RelativeTime at={model.trainedAt} />
          </dd>
          <dt className="text-slate-700">Seed</dt>
          <dd>{model.seed ?? '—'}</dd>
          {model.split && (
            <>
              <dt className="text-slate-700">Split</dt>
              <dd>
                {model.split.method}: {formatInteger(model.split.trainRows)} training rows,{' '}
                {formatInteger(model.split.testRows)} test rows. {model.split.reason}
              </dd>
            </>
          )}
        </dl>
        <h3 className="mt-4 text-base font-semibold text-slate-900">Hyper-parameters</h3>
        {params.length === 0 ? (
          <p className="mt-1 text-sm text-slate-700">None.</p>
        ) : (
          <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            {params.map(([name, value]) => (
              <div key={name} className="contents">
                <dt className="font-mono text-slate-700">{name}</dt>
                <dd className="font-mono break-all text-slate-900">{show(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      <div>
        {model.transformation && (
          <>
            <h3 className="text-base font-semibold text-slate-900">Transformation</h3>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">
              {describeTransformation(model.transformation).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        )}
        {model.notes.length > 0 && (
          <>
            <h3 className="mt-4 text-base font-semibold text-slate-900">Notes</h3>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">
              {model.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
