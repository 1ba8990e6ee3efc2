import { readAhead } from './read-ahead.util';

describe('readAhead', () => {
  it('yields every item in order and starts the next read before the caller is done', async () => {
    const log: string[] = [];
    async function* source() {
      for (let i = 0; i < 3; i++) {
        await Promise.resolve();
        log.push(`read ${i}`);
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const item of readAhead(source())) {
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`used ${item}`);
      seen.push(item);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(log).toEqual(['read 0', 'read 1', 'used 0', 'read 2', 'used 1', 'used 2']);
  });

  it('reports a failed read at the step that reaches it', async () => {
    async function* source() {
      yield await Promise.resolve(1);
      throw new Error('cursor lost');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source())) seen.push(item);
      })(),
    ).rejects.toThrow('cursor lost');
    expect(seen).toEqual([1]);
  });

  it('closes the source when the caller stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield await Promise.resolve(i);
      } finally {
        closed = true;
      }
    }
    for await (const item of readAhead(source())) if (item === 2) break;
    expect(closed).toBe(true);
  });
});
