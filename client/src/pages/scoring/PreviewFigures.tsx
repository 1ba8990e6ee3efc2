import { bucketRows, describeTierMoves, formatChange, formatScoreValue, tierRows } from './preview';
import type { ScoringConfigPreview } from './preview';
import { DistributionChart } from './DistributionChart';
import { tableCell, tableHead } from './styles';

const integer = new Intl.NumberFormat('en-US');

/** What a preview says: the chart, tiers before → after, mean and median, tier moves, a table. */
export function PreviewFigures({ preview }: { preview: ScoringConfigPreview }) {
  const buckets = bucketRows(preview.current, preview.proposed);
  const tiers = tierRows(preview.current, preview.proposed);
  const moves = describeTierMoves(preview.tierMoves);
  const stats: [string, number, number][] = [
    ['Mean score', preview.current.mean, preview.proposed.mean],
    ['Median score', preview.current.median, preview.proposed.median],
  ];

  if (preview.leads === 0)
    return <p className="mt-3 text-sm text-slate-700">There are no leads to preview yet.</p>;

  return (
    <div className="mt-3 space-y-5">
      <p className="text-sm text-slate-700">
        {integer.format(preview.leads)} leads scored
        {preview.sampled ? ' (a sample of your leads)' : ''}.{' '}
        <strong>{integer.format(preview.changed)}</strong>{' '}
        {preview.changed === 1 ? 'lead' : 'leads'} would change score by a point or more.
      </p>

      <figure>
        <DistributionChart rows={buckets} />
        <figcaption className="text-sm text-slate-600">
          Leads per score range under the current configuration and the proposed values.
        </figcaption>
      </figure>

      <div className="grid gap-5">
        <table className="w-full text-sm">
          <caption className="text-left text-sm font-semibold text-slate-900">
            Leads per tier
          </caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={tableHead}>
                Tier
              </th>
              <th scope="col" className={tableHead}>
                Current
              </th>
              <th scope="col" className={tableHead}>
                Proposed
              </th>
              <th scope="col" className={tableHead}>
                Change
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tiers.map((row) => (
              <tr key={row.tier}>
                <th scope="row" className={`${tableCell} font-medium`}>
                  {row.label}
                </th>
                <td className={tableCell}>{integer.format(row.current)}</td>
                <td className={tableCell}>{integer.format(row.proposed)}</td>
                <td className={tableCell}>{formatChange(row.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>

        <div className="space-y-3">
          <dl className="grid grid-cols-2 gap-3 text-sm">
            {stats.map(([label, before, after]) => (
              <div key={label}>
                <dt className="font-medium text-slate-800">{label}</dt>
                <dd className="tabular-nums text-slate-900">
                  {formatScoreValue(before)} → {formatScoreValue(after)} (
                  {formatChange(after - before, formatScoreValue)})
                </dd>
              </div>
            ))}
          </dl>
          <div>
            <h3 id="tier-moves-heading" className="text-sm font-semibold text-slate-900">
              Tier changes
            </h3>
            {moves.length === 0 ? (
              <p className="text-sm text-slate-700">No lead would change tier.</p>
            ) : (
              <ul
                aria-labelledby="tier-moves-heading"
                className="mt-1 list-disc pl-5 text-sm text-slate-800"
              >
                {moves.map((move) => (
                  <li key={move}>{move}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>

      <details>
        <summary className="cursor-pointer text-sm font-medium text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600">
          Score distribution as a table
        </summary>
        <table className="mt-2 w-full text-sm">
          <caption className="sr-only">Leads per score range, current and proposed</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={tableHead}>
                Score range
              </th>
              <th scope="col" className={tableHead}>
                Current
              </th>
              <th scope="col" className={tableHead}>
                Proposed
              </th>
              <th scope="col" className={tableHead}>
                Change
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {buckets.map((row) => (
              <tr key={row.from}>
                <th scope="row" className={`${tableCell} font-medium`}>
                  {row.range}
                </th>
                <td className={tableCell}>{integer.format(row.current)}</td>
                <td className={tableCell}>{integer.format(row.proposed)}</td>
                <td className={tableCell}>{formatChange(row.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
