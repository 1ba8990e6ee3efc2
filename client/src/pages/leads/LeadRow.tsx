import { useLayoutEffect, useRef } from 'react';
import { Link } from 'react-router';

import type { LeadsTableRowFragment } from '../../gql/graphql';
import { formatDuration, formatInteger } from '../../ui/format';
import { RelativeTime } from '../../ui/RelativeTime';
import { ScoreBadge } from '../../ui/ScoreBadge';
import { ScoreBreakdown } from './ScoreBreakdown';
import { FOCUS_RING, NUMERIC } from './styles';

export const COLUMN_COUNT = 8;

const TIER_LABELS = { HOT: 'Hot', WARM: 'Warm', COLD: 'Cold' } as const;

interface Props {
  lead: LeadsTableRowFragment;
  ownerName: string;
  /** Set while the row is highlighted after a live change; a new value restarts the highlight. */
  flash: number | undefined;
  expanded: boolean;
  onToggle: () => void;
}

/** One lead, and beneath it the breakdown of its score when asked for. */
export function LeadRow({ lead, ownerName, flash, expanded, onToggle }: Props) {
  const row = useRef<HTMLTableRowElement>(null);
  const breakdownId = `breakdown-${lead.id}`;

  // A second change while highlighted: restart the animation (remove, reflow, add again).
  useLayoutEffect(() => {
    const element = row.current;
    if (!flash || !element) return;
    element.classList.remove('row-flash');
    void element.offsetWidth;
    element.classList.add('row-flash');
  }, [flash]);

  const { engagement } = lead;
  return (
    <>
      <tr
        ref={row}
        data-lead-id={lead.leadId}
        data-score={lead.score}
        className={`border-t border-slate-200 ${flash ? 'row-flash' : ''}`}
      >
        <th scope="row" className="px-3 py-2 text-left font-normal">
          <Link
            to={`/lead/${encodeURIComponent(lead.id)}`}
            className={`block truncate rounded font-medium text-indigo-800 underline-offset-2 hover:underline ${FOCUS_RING}`}
          >
            {lead.name || lead.leadId}
          </Link>{' '}
          {lead.email && (
            <span className="block truncate text-xs text-slate-600">{lead.email}</span>
          )}
        </th>
        <td className="px-3 py-2">
          <div className="flex flex-wrap items-center justify-end gap-x-2 gap-y-1">
            <ScoreBadge score={lead.score} tier={lead.tier} />
            <button
              type="button"
              aria-expanded={expanded}
              aria-controls={breakdownId}
              onClick={onToggle}
              className={`rounded text-xs font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950 ${FOCUS_RING}`}
            >
              Why this score?
            </button>
          </div>
        </td>
        <td className="px-3 py-2">{TIER_LABELS[lead.tier]}</td>
        <td className={`px-3 py-2 ${NUMERIC}`}>{formatInteger(engagement.emailOpens)}</td>
        <td className={`px-3 py-2 ${NUMERIC}`}>{formatInteger(engagement.websiteVisits)}</td>
        <td className={`px-3 py-2 ${NUMERIC}`}>{formatDuration(engagement.timeSpentSeconds)}</td>
        <td className="px-3 py-2">
          {engagement.lastActivityAt ? (
            <RelativeTime at={engagement.lastActivityAt} />
          ) : (
            <span className="text-slate-600">Never</span>
          )}
        </td>
        <td className="truncate px-3 py-2">{ownerName}</td>
      </tr>
      <tr id={breakdownId} hidden={!expanded} className="bg-slate-50">
        <td colSpan={COLUMN_COUNT} className="px-3 py-3">
          {expanded && <ScoreBreakdown leadId={lead.id} name={lead.name || lead.leadId} />}
        </td>
      </tr>
    </>
  );
}
