import { useEffect, useRef } from 'react';

export const AUTO_REFRESH_MS = 60_000;

/**
 * Calls `refresh` `intervalMs` after the last fetch settled (`settledAt`), but not while the tab
 * is hidden: a hidden tab that comes back after that long refreshes at once.
 */
export function useAutoRefresh(
  refresh: () => void,
  settledAt: number | null,
  intervalMs = AUTO_REFRESH_MS,
): void {
  const refreshRef = useRef(refresh);
  useEffect(() => {
    refreshRef.current = refresh;
  });

  useEffect(() => {
    if (settledAt === null) return;
    const due = () => Date.now() - settledAt >= intervalMs;
    const timer = setTimeout(
      () => {
        if (!document.hidden) refreshRef.current();
      },
      Math.max(0, settledAt + intervalMs - Date.now()),
    );
    const onVisibility = () => {
      if (!document.hidden && due()) refreshRef.current();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [settledAt, intervalMs]);
}
