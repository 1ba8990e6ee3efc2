import { inBatches } from './batches.util';

/** As a cursor answers: each item after a turn of the event loop's promise queue. */
async function* numbers(count: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    await Promise.resolve();
    yield i;
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('inBatches', () => {
  it('hands out full batches and a shorter last one, in order', async () => {
    const batches = await collect(inBatches(numbers(7), 3));
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('hands out nothing for an empty source and no empty last batch', async () => {
    expect(await collect(inBatches(numbers(0), 3))).toEqual([]);
    expect(await collect(inBatches(numbers(6), 3))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('reads no further ahead than the batch being handed out', async () => {
    let read = 0;
    async function* counted(): AsyncGenerator<number> {
      for await (const i of numbers(10_000)) {
        read += 1;
        yield i;
      }
    }
    const sut = inBatches(counted(), 1_000);
    const first = await sut.next();
    expect(first.value).toHaveLength(1_000);
    expect(read).toBe(1_000);
    await sut.return(undefined);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(collect(inBatches(numbers(1), 0))).rejects.toThrow(RangeError);
  });
});
