import type { AdminCompareDatasetVersionsQuery } from '../../../gql/graphql';
import { formatInteger, formatPercent } from '../../../ui/format';
import { Badge, type Tone } from '../components/Badge';
import { numClass, tableClass, tdClass, thClass } from '../components/styles';
import {
  byPsi,
  FEATURE_TYPE_LABEL,
  formatRateChange,
  psiLevel,
  PSI_LEVEL_LABEL,
  type PsiLevel,
} from './comparison';

export type DatasetComparisonData = AdminCompareDatasetVersionsQuery['compareDatasetVersions'];

const LEVEL_TONE: Record<PsiLevel, Tone> = { stable: 'good', moderate: 'warn', shift: 'bad' };

/** Version b against the baseline a: rows, label rates, schema, PSI per feature. */
export function ComparisonView({
  comparison: c,
  nameA,
  nameB,
}: {
  comparison: DatasetComparisonData;
  nameA: string;
  nameB: string;
}) {
  const stats: [string, string][] = [
    [`Rows in ${nameA} (baseline)`, formatInteger(c.rowsA)],
    [`Rows in ${nameB}`, formatInteger(c.rowsB)],
    ['Added (in b only)', formatInteger(c.added)],
    ['Removed (in a only)', formatInteger(c.removed)],
    ['Changed', formatInteger(c.changed)],
    ['Unchanged', formatInteger(c.unchanged)],
    [`Label rate of ${nameA}`, formatPercent(c.labelRateA)],
    [`Label rate of ${nameB}`, formatPercent(c.labelRateB)],
    ['Label rate change', formatRateChange(c.labelRateChange)],
  ];
  const { schema } = c;
  const schemaChanged = schema.added.length + schema.removed.length + schema.retyped.length > 0;

  return (
    <div className="space-y-5">
      <div>
        <h3 className="text-base font-semibold text-slate-900">Rows</h3>
        <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {stats.map(([label, value]) => (
            <div key={label} className="rounded-md bg-slate-50 p-2">
              <dt className="text-xs text-slate-700">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
            Sample lead ids
          </summary>
          <SampleList title="Added" ids={c.sampleAdded} />
          <SampleList title="Removed" ids={c.sampleRemoved} />
          <SampleList title="Changed" ids={c.sampleChanged} />
        </details>
      </div>

      <div>
        <h3 className="text-base font-semibold text-slate-900">Schema</h3>
        {schemaChanged ? (
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">
            {schema.added.map((f) => (
              <li key={`added-${f.name}`}>
                Added: <span className="font-mono">{f.name}</span> ({FEATURE_TYPE_LABEL[f.type]})
              </li>
            ))}
            {schema.removed.map((f) => (
              <li key={`removed-${f.name}`}>
                Removed: <span className="font-mono">{f.name}</span> ({FEATURE_TYPE_LABEL[f.type]})
              </li>
            ))}
            {schema.retyped.map((f) => (
              <li key={`retyped-${f.name}`}>
                Retyped: <span className="font-mono">{f.name}</span> from{' '}
                {FEATURE_TYPE_LABEL[f.from]} to {FEATURE_TYPE_LABEL[f.to]}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-700">No schema changes.</p>
        )}
      </div>

      <div>
        <h3 className="text-base font-semibold text-slate-900">Feature stability (PSI)</h3>
        <p className="mt-1 text-sm text-slate-700">
          Schema types and PSI were computed on {formatInteger(c.sampledRowsA)} rows of {nameA} and{' '}
          {formatInteger(c.sampledRowsB)} rows of {nameB}. Below 0.1 is stable, 0.1 to 0.25 a
          moderate change, above 0.25 a shift.
        </p>
        {c.features.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">No feature in both versions.</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className={tableClass}>
              <caption className="sr-only">
                Population stability index per feature, largest first
              </caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={thClass}>
                    Feature
                  </th>
                  <th scope="col" className={thClass}>
                    Type
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    PSI
                  </th>
                  <th scope="col" className={thClass}>
                    Reading
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    New categories
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    Vanished categories
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {byPsi(c.features).map((f) => {
                  const level = psiLevel(f.psi);
                  return (
                    <tr key={f.name}>
                      <th scope="row" className={`${tdClass} font-mono font-normal`}>
                        {f.name}
                      </th>
                      <td className={tdClass}>{FEATURE_TYPE_LABEL[f.type]}</td>
                      <td className={numClass}>{f.psi.toFixed(3)}</td>
                      <td className={tdClass}>
                        <Badge tone={LEVEL_TONE[level]}>{PSI_LEVEL_LABEL[level]}</Badge>
                      </td>
                      <td className={numClass} title={f.newCategories.join(', ') || undefined}>
                        {formatInteger(f.newCategoryCount)}
                      </td>
                      <td className={numClass} title={f.vanishedCategories.join(', ') || undefined}>
                        {formatInteger(f.vanishedCategoryCount)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

function SampleList({ title, ids }: { title: string; ids: readonly string[] }) {
  return (
    <p className="mt-1 text-slate-800">
      <span className="font-medium">{title}:</span>{' '}
      {ids.length > 0 ? <span className="font-mono">{ids.join(', ')}</span> : 'none'}
    </p>
  );
}
