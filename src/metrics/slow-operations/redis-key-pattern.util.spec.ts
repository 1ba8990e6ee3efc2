import { redisKeyPattern } from './redis-key-pattern.util';

const USER_ID = '65f0c1a2b3c4d5e6f7a8b9c1';
const EMAIL = 'ann.lee@example.com';

describe('redisKeyPattern', () => {
  it.each([
    // The user request budget of @nest-lab/throttler-storage-redis.
    [`{ls:rl:user:${USER_ID}:user}:hits`, '{ls:rl:user:<id>:user}:hits'],
    // The per-address budget, IPv4 and IPv6.
    ['{ls:rl:10.0.0.7:ip}:hits', '{ls:rl:<id>:ip}:hits'],
    ['{ls:rl:::ffff:10.0.0.7:ip}:blocked', '{ls:rl:::<id>:<id>:ip}:blocked'],
    ['{ls:rl:2001:db8:cafe::1:ip}:hits', '{ls:rl:<id>:<id>:<id>::<id>:ip}:hits'],
    // Login attempts: an email and an address.
    [`ls:rl:login:${EMAIL}|10.0.0.7`, 'ls:rl:login:<id>|<id>'],
    [`ls:rl:register:email:${EMAIL}`, 'ls:rl:register:email:<id>'],
    // The ranking index: tenant in a hash tag.
    [`ls:ranking:{${USER_ID}}:order`, 'ls:ranking:{<id>}:order'],
    ['ls:ws:sockets:0b9c3c5e-9f38-4d7e-9a52-0e1c1b5f4a42', 'ls:ws:sockets:<id>'],
    ['ls:ai:tokens:29123456', 'ls:ai:tokens:<id>'],
  ])('%s → %s', (key, pattern) => {
    expect(redisKeyPattern(key)).toBe(pattern);
  });

  it('keeps the deployment prefix it is told of, digits and all', () => {
    expect(
      redisKeyPattern(`{t_slow_ops_1a2b3c4d:rl:user:${USER_ID}:user}:hits`, {
        keep: ['t_slow_ops_1a2b3c4d'],
      }),
    ).toBe('{t_slow_ops_1a2b3c4d:rl:user:<id>:user}:hits');
    expect(redisKeyPattern('t_slow_ops_1a2b3c4d:rl:x')).toBe('<id>:rl:x');
  });

  it('never prints a part of an email, an id or an address', () => {
    const pattern = redisKeyPattern(`ls:rl:login:${EMAIL}|fe80::1|${USER_ID}`) ?? '';

    for (const secret of ['ann', 'example', 'fe80', USER_ID]) expect(pattern).not.toContain(secret);
  });

  it('reads Buffer keys, cuts long ones, and has no pattern for no key', () => {
    expect(redisKeyPattern(Buffer.from(`ls:auth:${USER_ID}`))).toBe('ls:auth:<id>');
    expect(redisKeyPattern(`ls:${'x'.repeat(300)}`)).toBe('ls:<id>…');
    expect(redisKeyPattern(undefined)).toBeUndefined();
  });
});
