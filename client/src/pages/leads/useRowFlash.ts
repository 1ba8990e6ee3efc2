import { useCallback, useEffect, useRef, useState } from 'react';

/** How long `row-flash` (index.css) runs. */
export const FLASH_MS = 2000;

/**
 * Rows highlighted after a live change: lead id → a counter that grows with each change, so a
 * second change within the highlight restarts it (see LeadRow).
 */
export function useRowFlash(durationMs = FLASH_MS): [Record<string, number>, (id: string) => void] {
  const [flashes, setFlashes] = useState<Record<string, number>>({});
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const flash = useCallback(
    (id: string) => {
      setFlashes((prev) => ({ ...prev, [id]: (prev[id] ?? 0) + 1 }));
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => {
          timers.current.delete(id);
          setFlashes((prev) => {
            const next = { ...prev };
            delete next[id];
            return next;
          });
        }, durationMs),
      );
    },
    [durationMs],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return [flashes, flash];
}
