import { useEffect, useState } from 'react';

import { RelativeTime } from '../../ui/RelativeTime';
import { BUTTON } from './styles';

/** How often "updated 2 minutes ago" is read again. */
const TICK_MS = 15_000;

interface Props {
  onRefresh: () => void;
  refreshing: boolean;
  /** What is loading: the first rows, or others while the current ones stay shown. */
  loading: 'first' | 'other' | null;
  updatedAt: number | null;
  liveUnavailable: boolean;
}

/** The refresh button, when the rows were last fetched, and what is loading now. */
export function RefreshBar({ onRefresh, refreshing, loading, updatedAt, liveUnavailable }: Props) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
      <p role="status" className="min-w-[7rem] text-right">
        {refreshing
          ? 'Refreshing…'
          : loading === 'first'
            ? 'Loading leads…'
            : loading === 'other'
              ? 'Loading…'
              : ''}
      </p>
      {updatedAt !== null && (
        <p>
          Updated <RelativeTime at={new Date(updatedAt).toISOString()} />
        </p>
      )}
      {liveUnavailable && <p>Live updates unavailable</p>}
      <button
        type="button"
        onClick={() => {
          if (!refreshing) onRefresh();
        }}
        className={BUTTON}
      >
        <span aria-hidden="true" className={`inline-block ${refreshing ? 'animate-spin' : ''}`}>
          ↻
        </span>
        Refresh
      </button>
    </div>
  );
}
