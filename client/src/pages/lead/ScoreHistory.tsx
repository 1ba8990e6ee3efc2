import { formatExact } from '../../ui/format';
import { formatPoints } from './breakdownMath';
import type { HistoryPoint } from './history';
import { reasonLabel } from './history';
import { ScoreHistoryChart } from './ScoreHistoryChart';
import { card, sectionHeading, tableCell, tableHead } from './styles';

/** The score history: a chart, and the same points as a table for those who cannot see it. */
export function ScoreHistory({ points }: { points: readonly HistoryPoint[] }) {
  return (
    <section aria-labelledby="score-history-heading" className={card}>
      <h2 id="score-history-heading" className={sectionHeading}>
        Score history
      </h2>
      {points.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No score changes recorded yet.</p>
      ) : (
        <>
          <figure className="mt-3">
            <ScoreHistoryChart points={points} />
            <figcaption className="mt-1 text-sm text-slate-600">
              Score (0–100) over time, oldest to newest: {points.length}{' '}
              {points.length === 1 ? 'change' : 'changes'}.
            </figcaption>
          </figure>
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600">
              Score history as a table
            </summary>
            <div className="mt-2 max-h-80 overflow-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">Score history, oldest first</caption>
                <thead className="bg-slate-50">
                  <tr>
                    <th scope="col" className={tableHead}>
                      When
                    </th>
                    <th scope="col" className={tableHead}>
                      Score
                    </th>
                    <th scope="col" className={tableHead}>
                      Previous
                    </th>
                    <th scope="col" className={tableHead}>
                      Reason
                    </th>
                    <th scope="col" className={tableHead}>
                      Config version
                    </th>
                    <th scope="col" className={tableHead}>
                      Model version
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {points.map((point, index) => (
                    <tr key={`${point.at}-${index}`}>
                      <td className={tableCell}>
                        <time dateTime={point.at}>{formatExact(point.at)}</time>
                      </td>
                      <td className={`${tableCell} tabular-nums`}>{formatPoints(point.score)}</td>
                      <td className={`${tableCell} tabular-nums`}>
                        {point.previousScore == null ? '—' : formatPoints(point.previousScore)}
                      </td>
                      <td className={tableCell}>{reasonLabel(point.reason)}</td>
                      <td className={`${tableCell} tabular-nums`}>{point.configVersion}</td>
                      <td className={`${tableCell} tabular-nums`}>{point.modelVersion}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
