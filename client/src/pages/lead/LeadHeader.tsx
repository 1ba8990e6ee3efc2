import { ScoreBadge } from '../../ui/ScoreBadge';
import type { LeadPageLeadQuery } from '../../gql/graphql';
import { secondaryButton, textLink } from './styles';

type Lead = LeadPageLeadQuery['lead'];

const STATUS_LABELS: Record<string, string> = {
  NEW: 'New',
  WORKING: 'Working',
  QUALIFIED: 'Qualified',
  CONVERTED: 'Converted',
  LOST: 'Lost',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** Who the lead is and where its score stands. */
export function LeadHeader({
  lead,
  currentUserId,
  onRecompute,
  recomputing,
}: {
  lead: Pick<
    Lead,
    'leadId' | 'name' | 'email' | 'status' | 'ownerId' | 'score' | 'tier' | 'isStale'
  >;
  /** The signed-in user: their own leads say "You" rather than an id. */
  currentUserId?: string;
  onRecompute?: () => void;
  recomputing?: boolean;
}) {
  return (
    <header className="flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">{lead.name || lead.leadId}</h1>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700">
          {lead.name && (
            <>
              <dt className="font-medium">Lead id</dt>
              <dd className="break-all">{lead.leadId}</dd>
            </>
          )}
          <dt className="font-medium">Email</dt>
          <dd className="break-all">
            {lead.email ? (
              <a className={textLink} href={`mailto:${lead.email}`}>
                {lead.email}
              </a>
            ) : (
              '—'
            )}
          </dd>
          <dt className="font-medium">Status</dt>
          <dd>{statusLabel(lead.status)}</dd>
          <dt className="font-medium">Owner</dt>
          <dd className="break-all">
            {lead.ownerId === null || lead.ownerId === undefined
              ? 'Unassigned'
              : lead.ownerId === currentUserId
                ? 'You'
                : lead.ownerId}
          </dd>
        </dl>
      </div>
      <div className="flex flex-col items-end gap-2">
        <p className="flex items-center gap-2 text-sm text-slate-700">
          <span>Score</span>
          <ScoreBadge score={lead.score} tier={lead.tier} />
        </p>
        {lead.isStale && (
          <p className="flex flex-wrap items-center justify-end gap-2 text-sm text-amber-900">
            <span className="rounded bg-amber-50 px-2 py-0.5 ring-1 ring-amber-300">
              Stale: this score is older than the freshness window.
            </span>
            {onRecompute && (
              <button
                type="button"
                className={secondaryButton}
                onClick={onRecompute}
                disabled={recomputing}
              >
                {recomputing ? 'Recomputing…' : 'Recompute now'}
              </button>
            )}
          </p>
        )}
      </div>
    </header>
  );
}
