import type { ReactNode } from 'react';

import type { LeadPageLeadQuery } from '../../gql/graphql';
import { formatDuration, formatInteger } from '../../ui/format';
import { RelativeTime } from '../../ui/RelativeTime';
import { card, sectionHeading } from './styles';

type EngagementData = LeadPageLeadQuery['lead']['engagement'];

/** What the lead has done: the raw figures behind the score. */
export function Engagement({ engagement }: { engagement: EngagementData }) {
  const items: [string, ReactNode][] = [
    ['Email opens', formatInteger(engagement.emailOpens)],
    ['Website visits', formatInteger(engagement.websiteVisits)],
    ['Time spent', formatDuration(engagement.timeSpentSeconds)],
    [
      'Last activity',
      engagement.lastActivityAt ? <RelativeTime at={engagement.lastActivityAt} /> : 'Never',
    ],
  ];
  return (
    <section aria-labelledby="engagement-heading" className={card}>
      <h2 id="engagement-heading" className={sectionHeading}>
        Engagement
      </h2>
      <dl className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt className="text-sm text-slate-600">{label}</dt>
            <dd className="text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
