import { useEffect, useState, useSyncExternalStore } from 'react';

import { createValueStore } from './valueStore';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `value` once the render that produced it has committed. Router updates render in a transition
 * React may throw away and restart, and `useQuery` starts fetching as it renders: fed from the
 * URL directly, a discarded render would leave the query on variables the page never showed, and
 * the next render switch it back (and so on). A new object with the same content is no change.
 */
export function useCommitted<T>(value: T): T {
  const [committed] = useState(() => createValueStore(value));
  useEffect(() => {
    committed.update((previous) => (same(previous, value) ? previous : value));
  }, [committed, value]);
  return useSyncExternalStore(committed.subscribe, committed.get);
}
