import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

/** What a storage answers for one hit: hits so far, seconds left, and whether it is blocked. */
export type ThrottlerHit = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One budget to spend a hit of: its tracker (an address, `user:<id>`) and its throttler's terms. */
export interface BudgetHit {
  readonly tracker: string;
  readonly throttler: string;
  readonly ttlMs: number;
  readonly limit: number;
  readonly blockMs: number;
}

/** The token whose revocation is checked: the revocation keys and when the token was issued. */
export interface RevocationCheck {
  /** The token's own key (`revoked-jti`) and its user's (`revoked-before`, a time in ms). */
  readonly keys: readonly [jti: string, before: string];
  readonly issuedAtMs: number;
}

/** What one request's gate needs answered, each part optional. */
export interface GateQuery {
  /** Spent first, before authentication counts (the client address). */
  readonly before?: BudgetHit;
  /** Checked when `before` is not blocked. */
  readonly revocation?: RevocationCheck;
  /** Spent when `before` is not blocked and the token is not revoked (the user). */
  readonly after?: BudgetHit;
}

export interface GateAnswer {
  /** Undefined when that budget was not asked for, or not reached. */
  readonly before?: ThrottlerHit;
  readonly revoked: boolean;
  readonly after?: ThrottlerHit;
}

/**
 * One budget hit, the semantics of @nest-lab/throttler-storage-redis' script (after
 * rate-limit-redis): a fixed window of `ttl` ms counted in `hits`; over `limit`, the `blocked`
 * key holds for `blockDuration` ms from the first refused hit; once it lapses the window
 * restarts at 1.
 */
const HIT_FUNCTION = `
local function hit(hitKey, blockKey, ttl, limit, blockDuration)
  local totalHits = redis.call('INCR', hitKey)
  local timeToExpire = redis.call('PTTL', hitKey)
  if timeToExpire <= 0 then
    redis.call('PEXPIRE', hitKey, ttl)
    timeToExpire = ttl
  end
  local isBlocked = redis.call('GET', blockKey)
  local timeToBlockExpire = 0
  if isBlocked then
    timeToBlockExpire = redis.call('PTTL', blockKey)
  elseif totalHits > limit then
    redis.call('SET', blockKey, 1, 'PX', blockDuration)
    isBlocked = '1'
    timeToBlockExpire = blockDuration
  end
  if isBlocked and timeToBlockExpire <= 0 then
    redis.call('DEL', blockKey)
    redis.call('SET', hitKey, 1, 'PX', ttl)
    totalHits = 1
    timeToExpire = ttl
    isBlocked = false
  end
  return {totalHits, timeToExpire, isBlocked and 1 or 0, timeToBlockExpire}
end
`;

/**
 * A request's gate in one round trip. ARGV[1..3] say which parts run ('1' or '0'): the `after`
 * budget (KEYS: hits, blocked), the revocation check (KEYS: revoked-jti, revoked-before; ARGV[4]
 * the token's issue time in ms), the `before` budget (KEYS: hits, blocked); the keys come in that
 * order, present parts only, so that a user's budget key comes first when there is one (slow
 * script logs name the first key's pattern). ARGV[5..7] and ARGV[8..10]: the ttl, limit and block
 * of `before`, then `after`. The parts run in request order: `before`, then the revocation check
 * and `after` only if `before` is not blocked, `after` only if the token is not revoked.
 * Answers {before's 4 figures, revoked, after's 4 figures}, zeros for what did not run.
 */
const GATE_SCRIPT = `${HIT_FUNCTION}
local countAfter, checkRevocation, countBefore = ARGV[1] == '1', ARGV[2] == '1', ARGV[3] == '1'
local k = 1
local afterKey, revocationKey, beforeKey
if countAfter then afterKey = k; k = k + 2 end
if checkRevocation then revocationKey = k; k = k + 2 end
if countBefore then beforeKey = k end
local before = {0, 0, 0, 0}
if countBefore then
  before = hit(KEYS[beforeKey], KEYS[beforeKey + 1], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]))
  if before[3] == 1 then return {before[1], before[2], before[3], before[4], 0, 0, 0, 0, 0} end
end
local revoked = 0
if checkRevocation then
  if redis.call('EXISTS', KEYS[revocationKey]) == 1 then
    revoked = 1
  else
    local revokedBefore = redis.call('GET', KEYS[revocationKey + 1])
    if revokedBefore and tonumber(ARGV[4]) <= tonumber(revokedBefore) then revoked = 1 end
  end
end
local after = {0, 0, 0, 0}
if countAfter and revoked == 0 then
  after = hit(KEYS[afterKey], KEYS[afterKey + 1], tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]))
end
return {before[1], before[2], before[3], before[4], revoked, after[1], after[2], after[3], after[4]}
`;

type GateReply = [number, number, number, number, number, number, number, number, number];

type GateArgs = (string | number)[];

interface GateCommand {
  requestGate(...args: GateArgs): Promise<GateReply>;
}

interface QueuedGate {
  readonly args: GateArgs;
  readonly resolve: (reply: GateReply) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The request budgets (per address, per user) in Redis, shared by every api process, and the
 * access token's revocation check beside them: `gate` answers a request's address budget,
 * revocation and user budget in one script call (one round trip, where the guards used to make
 * three). Also the `ThrottlerStorage` of @nestjs/throttler, for a single hit (WebSocket
 * operations spend the user's budget through it).
 *
 * Keys as @nest-lab/throttler-storage-redis named them (so budgets carry over):
 * `{<prefix>:rl:<tracker>:<throttler>}:hits` and `:blocked`, hash-tagged per tracker. One gate
 * call touches the address's keys, the user's and the user's revocation keys: on a Redis Cluster
 * it must become two calls (the address; the user's budget with the revocation keys, after giving
 * the user's budget keys the user's hash tag).
 */
export class RequestBudgets implements ThrottlerStorage {
  private readonly redis: Redis & GateCommand;
  /** Gate calls waiting for the end of this turn of the event loop (see `send`). */
  private queued: QueuedGate[] = [];

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    // defineCommand: EVALSHA of the script's digest (the script itself only when Redis does not
    // know it yet); without numberOfKeys, the key count is the first argument.
    if (!('requestGate' in redis)) redis.defineCommand('requestGate', { lua: GATE_SCRIPT });
    this.redis = redis as Redis & GateCommand;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerHit> {
    const answer = await this.gate({
      before: { tracker: key, throttler: throttlerName, ttlMs: ttl, limit, blockMs: blockDuration },
    });
    return answer.before!;
  }

  async gate({ before, revocation, after }: GateQuery): Promise<GateAnswer> {
    const keys: string[] = [];
    if (after) keys.push(...this.budgetKeys(after));
    if (revocation) keys.push(...revocation.keys);
    if (before) keys.push(...this.budgetKeys(before));
    if (keys.length === 0) return { revoked: false };
    const reply = await this.send([
      keys.length,
      ...keys,
      after ? '1' : '0',
      revocation ? '1' : '0',
      before ? '1' : '0',
      revocation ? revocation.issuedAtMs : 0,
      before?.ttlMs ?? 0,
      before?.limit ?? 0,
      before?.blockMs ?? 0,
      after?.ttlMs ?? 0,
      after?.limit ?? 0,
      after?.blockMs ?? 0,
    ]);
    const beforeBlocked = before !== undefined && reply[2] === 1;
    const revoked = !beforeBlocked && reply[4] === 1;
    return {
      before: before && toHit(reply, 0),
      revoked,
      after: after && !beforeBlocked && !revoked ? toHit(reply, 5) : undefined,
    };
  }

  /**
   * One gate call. The calls of the requests served in one turn of the event loop go out together
   * at its end (setImmediate), one pipeline: one write to Redis and one read of its answers for all
   * of them, where each used to cost a round trip's system calls of its own (on both sides).
   */
  private send(args: GateArgs): Promise<GateReply> {
    return new Promise((resolve, reject) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ args, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 1) {
      const [only] = batch;
      this.redis.requestGate(...only.args).then(only.resolve, only.reject);
      return;
    }
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & GateCommand;
    for (const call of batch) void pipeline.requestGate(...call.args);
    pipeline.exec().then(
      (results) =>
        batch.forEach((call, i) => {
          const [error, reply] = results?.[i] ?? [new Error('no answer in the pipeline')];
          if (error) call.reject(error);
          else call.resolve(reply as GateReply);
        }),
      (error: unknown) => batch.forEach((call) => call.reject(error)),
    );
  }

  private budgetKeys({ tracker, throttler }: BudgetHit): [string, string] {
    const tag = `{${this.prefix}:rl:${tracker}:${throttler}}`;
    return [`${tag}:hits`, `${tag}:blocked`];
  }
}

/** Seconds, rounded up, as the throttler reports them. */
function toHit(reply: GateReply, at: number): ThrottlerHit {
  return {
    totalHits: reply[at],
    timeToExpire: Math.ceil(reply[at + 1] / 1000),
    isBlocked: reply[at + 2] === 1,
    timeToBlockExpire: Math.ceil(reply[at + 3] / 1000),
  };
}
