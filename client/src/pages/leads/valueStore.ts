/**
 * A value a hook learns only once a render has committed (in an effect), kept outside React's
 * state and read back with `useSyncExternalStore`: the effect updates the store, the store
 * re-renders whoever reads it. An update that returns the same value re-renders nothing.
 */
export interface ValueStore<T> {
  get: () => T;
  update: (next: (previous: T) => T) => void;
  subscribe: (listener: () => void) => () => void;
}

export function createValueStore<T>(initial: T): ValueStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    update: (next) => {
      const updated = next(value);
      if (Object.is(updated, value)) return;
      value = updated;
      listeners.forEach((listener) => listener());
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
