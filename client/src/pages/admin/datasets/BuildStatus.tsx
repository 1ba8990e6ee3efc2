import type { AdminDatasetBuildFragment } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { progressClass } from '../components/styles';
import { BUILD_STAGE_LABEL, buildFraction } from './build';

/** Where a dataset build is: stage and rows read while it runs, then the version or the error. */
export function BuildStatus({ build }: { build: AdminDatasetBuildFragment }) {
  const fraction = buildFraction(build);
  if (build.status === 'FAILED') {
    return (
      <div
        role="alert"
        className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900"
      >
        <p className="font-semibold">The dataset version could not be built.</p>
        <p className="mt-1">
          {build.error?.message ?? 'The build failed without a reason.'}
          {build.error?.code && <span className="font-mono"> ({build.error.code})</span>}
        </p>
        {build.error?.fields && build.error.fields.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {build.error.fields.map((f) => (
              <li key={f.path}>
                <span className="font-mono">{f.path}</span>: {f.messages.join(', ')}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (build.status === 'COMPLETED') {
    const version = build.version;
    return (
      <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
        {version
          ? build.reused
            ? `The same rows and transformation already made “${version.name}” (${formatInteger(version.rowCount)} rows): that version is kept.`
            : `Created “${version.name}” with ${formatInteger(version.rowCount)} rows.`
          : 'The build completed.'}
      </p>
    );
  }
  return (
    <div className="space-y-1 text-sm text-slate-800">
      <p role="status">
        {build.status === 'QUEUED' ? 'Queued' : BUILD_STAGE_LABEL[build.stage]}:{' '}
        {formatInteger(build.rowsRead)} of {formatInteger(build.totalRows)} rows read (
        {formatPercent(fraction, 0)})
      </p>
      <progress
        aria-label="Dataset build progress"
        max={1}
        value={fraction}
        className={progressClass}
      />
    </div>
  );
}
