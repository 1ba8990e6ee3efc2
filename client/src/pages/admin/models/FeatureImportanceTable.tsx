import { numClass, tableClass, thClass } from '../components/styles';

/** Model inputs by importance, largest first, with a bar relative to the largest. */
export function FeatureImportanceTable({
  items,
}: {
  items: readonly { feature: string; importance: number }[];
}) {
  if (items.length === 0)
    return <p className="text-sm text-slate-700">This model reports no feature importance.</p>;
  const max = Math.max(...items.map((i) => Math.abs(i.importance))) || 1;
  return (
    <div
      className="max-h-96 overflow-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
      tabIndex={0}
      role="region"
      aria-label="Feature importance (scrollable)"
    >
      <table className={tableClass}>
        <caption className="sr-only">Feature importance, largest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={thClass}>
              Input
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Importance
            </th>
            <th scope="col" className={thClass}>
              <span className="sr-only">Relative size</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((i) => (
            <tr key={i.feature}>
              <th scope="row" className="px-3 py-1.5 font-mono text-xs font-normal text-slate-800">
                {i.feature}
              </th>
              <td className={numClass}>{i.importance.toFixed(4)}</td>
              <td className="w-48 px-3 py-1.5">
                <div
                  aria-hidden="true"
                  className="h-2 rounded bg-indigo-500"
                  style={{ width: `${(Math.abs(i.importance) / max) * 100}%` }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
