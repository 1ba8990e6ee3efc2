import type { AdminSetupFlagFragment } from '../../../gql/graphql';
import { Badge } from '../components/Badge';
import { formatMetric } from '../models/modelLabels';
import { formatShare, sortFlags } from './setup';

/** A flag's kind in words (the colour only repeats it). */
export function FlagBadge({ flag }: { flag: Pick<AdminSetupFlagFragment, 'kind'> }) {
  return flag.kind === 'POSSIBLE_LEAKAGE' ? (
    <Badge tone="bad">Possible leakage</Badge>
  ) : (
    <Badge tone="warn">Proposed for removal</Badge>
  );
}

/**
 * The leakage screen's flags: possible leakage first, each with its message, reason and the
 * numbers behind it; then identifiers and constants proposed for removal. Nothing is dropped
 * silently: the admin decides below.
 */
export function SetupFlags({ flags }: { flags: readonly AdminSetupFlagFragment[] }) {
  if (flags.length === 0)
    return (
      <p className="text-sm text-slate-700">
        No column flagged: nothing looks like leakage, and no identifier or constant to remove.
      </p>
    );
  return (
    <ul aria-label="Flagged columns" className="space-y-2">
      {sortFlags(flags).map((flag) => {
        const leak = flag.kind === 'POSSIBLE_LEAKAGE';
        const e = flag.evidence;
        return (
          <li
            key={`${flag.kind}:${flag.column}`}
            className={`rounded-md p-3 text-sm ring-1 ${
              leak
                ? 'bg-red-50 text-red-950 ring-red-300'
                : 'bg-amber-50 text-amber-950 ring-amber-300'
            }`}
          >
            <p className="flex flex-wrap items-center gap-2">
              <FlagBadge flag={flag} />
              <span className="font-mono font-semibold">{flag.column}</span>
              <span className={leak ? 'font-semibold' : undefined}>{flag.message}</span>
            </p>
            <p className="mt-1">{flag.reason}</p>
            {e && (
              <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-5">
                <div>
                  <dt className="font-medium">AUC alone</dt>
                  <dd className="tabular-nums">{formatMetric(e.singleFeatureAuc)}</dd>
                </div>
                <div>
                  <dt className="font-medium">AUC lost without it</dt>
                  <dd className="tabular-nums">{formatMetric(e.dropColumnImportance)}</dd>
                </div>
                <div>
                  <dt className="font-medium">Quick model AUC</dt>
                  <dd className="tabular-nums">{formatMetric(e.quickModelAuc)}</dd>
                </div>
                <div>
                  <dt className="font-medium">Share of the lift alone</dt>
                  <dd className="tabular-nums">{formatShare(e.aloneShareOfLift)}</dd>
                </div>
                <div>
                  <dt className="font-medium">Share of the lift lost without it</dt>
                  <dd className="tabular-nums">{formatShare(e.dropShareOfLift)}</dd>
                </div>
              </dl>
            )}
          </li>
        );
      })}
    </ul>
  );
}
