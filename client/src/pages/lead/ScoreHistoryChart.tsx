import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';

import { formatExact } from '../../ui/format';
import { formatPoints } from './breakdownMath';
import { reasonLabel, type HistoryPoint } from './history';

const shortDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });

function HistoryTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as HistoryPoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded-md bg-white p-3 text-sm text-slate-800 shadow-md ring-1 ring-slate-300">
      <p className="font-semibold">Score {formatPoints(point.score)}</p>
      <p>{formatExact(point.at)}</p>
      <p>{reasonLabel(point.reason)}</p>
      <p className="text-slate-600">
        Config v{point.configVersion} · model v{point.modelVersion}
      </p>
    </div>
  );
}

/** The score over time (0–100), oldest to newest. Visual only: the table beside it says the same. */
export function ScoreHistoryChart({ points }: { points: readonly HistoryPoint[] }) {
  return (
    <div className="h-64 w-full [&_svg:focus-visible]:outline-2 [&_svg:focus-visible]:outline-offset-2 [&_svg:focus-visible]:outline-indigo-600">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          title="Score history chart"
          desc="Score from 0 to 100 over time; arrow keys move between points."
          data={points}
          margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        >
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(t: number) => shortDate.format(new Date(t))}
            stroke="#475569"
            fontSize={12}
          />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} stroke="#475569" fontSize={12} />
          <Tooltip content={HistoryTooltip} />
          <Line
            type="linear"
            dataKey="score"
            name="Score"
            stroke="#4f46e5"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
