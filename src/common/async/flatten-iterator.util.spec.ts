import { flattenIterator } from './flatten-iterator.util';

/** A source fed by hand, like a PubSub iterator. */
function manualSource<T>() {
  const queue: T[][] = [];
  const waiting: ((result: IteratorResult<T[]>) => void)[] = [];
  let returned = 0;
  const source: AsyncIterator<T[]> = {
    next: () =>
      queue.length > 0
        ? Promise.resolve({ value: queue.shift()!, done: false })
        : new Promise((resolve) => waiting.push(resolve)),
    return: () => {
      returned += 1;
      waiting.splice(0).forEach((resolve) => resolve({ value: undefined, done: true }));
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return {
    source,
    push: (items: T[]) => {
      const next = waiting.shift();
      if (next) next({ value: items, done: false });
      else queue.push(items);
    },
    returned: () => returned,
  };
}

describe('flattenIterator', () => {
  it('yields the items of each list in order and skips empty lists', async () => {
    const feed = manualSource<number>();
    const items = flattenIterator(feed.source, (list) => list);
    feed.push([1, 2]);
    feed.push([]);
    feed.push([3]);
    const seen: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) seen.push((await items.next()).value as number | undefined);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('returns at once, releasing the source, while a next() is waiting', async () => {
    const feed = manualSource<number>();
    const items = flattenIterator(feed.source, (list) => list);
    const waiting = items.next();
    await items.return();
    expect(feed.returned()).toBe(1);
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    await expect(items.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
