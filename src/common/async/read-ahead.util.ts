/**
 * Iterates `source` one item ahead: the next item is being fetched while the caller works on the
 * current one (a batch job reads its next chunk while it writes this one). Items and errors arrive
 * in order; stopping early closes the source.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  // A read that fails while the caller is still busy is reported at the next step, not as an
  // unhandled rejection.
  pending.catch(() => undefined);
  try {
    for (;;) {
      const result = await pending;
      if (result.done) return;
      pending = iterator.next();
      pending.catch(() => undefined);
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
