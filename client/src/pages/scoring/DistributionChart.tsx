import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import type { BucketRow } from './preview';

/** Leads per score bucket, current next to proposed. Visual only: the table says the same. */
export function DistributionChart({ rows }: { rows: readonly BucketRow[] }) {
  return (
    <div className="h-72 w-full [&_svg:focus-visible]:outline-2 [&_svg:focus-visible]:outline-offset-2 [&_svg:focus-visible]:outline-indigo-600">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          title="Score distribution chart"
          desc="Leads per score range, current and proposed; arrow keys move between ranges."
          data={rows}
          margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        >
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="range" stroke="#475569" fontSize={12} />
          <YAxis allowDecimals={false} stroke="#475569" fontSize={12} />
          <Tooltip itemStyle={{ color: '#1e293b' }} labelStyle={{ color: '#1e293b' }} />
          <Legend formatter={(value: string) => <span className="text-slate-800">{value}</span>} />
          <Bar
            dataKey="current"
            name="Current"
            fill="#cbd5e1"
            stroke="#475569"
            isAnimationActive={false}
          />
          <Bar
            dataKey="proposed"
            name="Proposed"
            fill="#4338ca"
            stroke="#312e81"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
