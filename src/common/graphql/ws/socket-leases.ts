import type Redis from 'ioredis';

// One sorted set per user: member = socket, score = when its lease ends. Expired leases (sockets
// of a process that died without closing them) are dropped before counting.
const ACQUIRE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

// Renews a lease still recorded (XX); one already dropped is not added back over the limit.
const RENEW_SCRIPT = `
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 1
`;

export interface SocketLease {
  readonly userId: string;
  readonly socketId: string;
}

/**
 * Counts a user's open sockets across every api process, in Redis. Each socket holds a lease
 * that its process renews while the socket is open, so a process that dies stops counting
 * within `leaseMs` instead of forever.
 */
export class SocketLeases {
  constructor(
    private readonly redis: Redis,
    private readonly options: { keyPrefix: string; maxPerUser: number; leaseMs: number },
  ) {}

  key(userId: string): string {
    return this.options.keyPrefix + userId;
  }

  /** Takes a lease unless the user already holds `maxPerUser` live ones. */
  async acquire(lease: SocketLease, nowMs = Date.now()): Promise<boolean> {
    const taken = await this.redis.eval(
      ACQUIRE_SCRIPT,
      1,
      this.key(lease.userId),
      String(nowMs),
      String(nowMs + this.options.leaseMs),
      lease.socketId,
      String(this.options.maxPerUser),
      String(this.options.leaseMs),
    );
    return taken === 1;
  }

  /**
   * One script call per lease, sent together (ioredis writes them without waiting for answers):
   * not one pipeline, which a Redis Cluster client refuses when its keys live on several nodes.
   */
  async renew(leases: Iterable<SocketLease>, nowMs = Date.now()): Promise<void> {
    await Promise.all(
      [...leases].map((lease) =>
        this.redis.eval(
          RENEW_SCRIPT,
          1,
          this.key(lease.userId),
          String(nowMs + this.options.leaseMs),
          lease.socketId,
          String(this.options.leaseMs),
        ),
      ),
    );
  }

  async release(lease: SocketLease): Promise<void> {
    await this.redis.zrem(this.key(lease.userId), lease.socketId);
  }
}
