import { Logger } from '@nestjs/common';

import {
  createRedisClient,
  RedisScriptCall,
  watchRedisScripts,
} from '@/common/redis/create-redis-client';

/**
 * The script timing of createRedisClient's clients, without a server: with no offline queue and
 * no connection, every command is refused at once, which is enough to see what is timed.
 */
describe('watchRedisScripts', () => {
  const makeClient = () =>
    createRedisClient('redis://127.0.0.1:1', 'timing-test', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('reports EVAL, EVALSHA and defined scripts, with their key count and first key, and nothing else', async () => {
    const client = makeClient();
    client.defineCommand('twoKeys', { numberOfKeys: 2, lua: 'return 1' });
    const calls: RedisScriptCall[] = [];
    watchRedisScripts(client, (call) => calls.push(call));

    await Promise.allSettled([
      client.eval('return 1', 1, 'ls:rl:login:a@b.test', 'arg'),
      client.evalsha('0123456789abcdef0123456789abcdef01234567', 0),
      client.call('EVAL', 'return 1', 2, 'ls:a', 'ls:b'),
      (client as unknown as { twoKeys(...args: string[]): Promise<unknown> }).twoKeys(
        'ls:x',
        'ls:y',
      ),
      client.get('ls:not-a-script'),
      client.set('ls:k', 'v'),
    ]);
    client.disconnect();

    expect(calls).toEqual([
      {
        keyCount: 1,
        firstKey: 'ls:rl:login:a@b.test',
        durationMs: expect.any(Number),
        failed: true,
      },
      { keyCount: 0, firstKey: undefined, durationMs: expect.any(Number), failed: true },
      { keyCount: 2, firstKey: 'ls:a', durationMs: expect.any(Number), failed: true },
      { keyCount: 2, firstKey: 'ls:x', durationMs: expect.any(Number), failed: true },
    ]);
  });

  it('costs nothing and reports nothing once the listener is stopped', async () => {
    const client = makeClient();
    const listener = jest.fn();
    const stop = watchRedisScripts(client, listener);
    stop();

    await client.eval('return 1', 0).catch(() => undefined);
    client.disconnect();

    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps a throwing listener away from the caller', async () => {
    const client = makeClient();
    watchRedisScripts(client, () => {
      throw new Error('listener bug');
    });

    await expect(client.eval('return 1', 0)).rejects.toThrow(/writeable|enableOfflineQueue/);
    client.disconnect();
  });
});
