/**
 * Turns an iterator of lists into an iterator of their items (batched PubSub messages into single
 * subscription events). `return` reaches the source at once, even while a `next` is waiting on it,
 * so a client that unsubscribes releases the Redis subscription immediately.
 */
export function flattenIterator<S, T>(
  source: AsyncIterator<S>,
  itemsOf: (value: S) => readonly T[],
): AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> } {
  let buffer: T[] = [];
  let finished = false;
  const done = (): IteratorResult<T> => ({ value: undefined, done: true });
  const iterator = {
    async next(): Promise<IteratorResult<T>> {
      while (buffer.length === 0) {
        if (finished) return done();
        const result = await source.next();
        if (result.done) {
          finished = true;
          return done();
        }
        buffer = [...itemsOf(result.value)];
      }
      return { value: buffer.shift() as T, done: false };
    },
    async return(): Promise<IteratorResult<T>> {
      finished = true;
      buffer = [];
      await source.return?.();
      return done();
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      finished = true;
      buffer = [];
      if (source.throw) await source.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
