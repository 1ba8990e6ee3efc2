import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Types } from 'mongoose';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

/** Exports of one tenant running at once, across every api process. */
export const EXPORTS_PER_TENANT = 2;
/** A slot not renewed for this long is free again (its process died mid-export). */
export const EXPORT_LEASE_MS = 60_000;
/** How often a running export renews its slot. */
export const EXPORT_RENEW_MS = 20_000;

// Drops expired leases, then takes one when fewer than the limit remain. Answers 1 (taken) or 0.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

// Renews a lease only if it is still held (XX: never re-adds one that expired and was dropped).
const RENEW = `
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return renewed
`;

/** A taken slot: renewed in the background until released. */
export interface ExportSlot {
  release(): Promise<void>;
}

/**
 * The per-tenant cap on concurrent exports, as leases in a Redis sorted set (member: the export,
 * score: when its lease ends), shared by every api process. A process that dies mid-export stops
 * renewing, and its slot frees itself within EXPORT_LEASE_MS.
 */
@Injectable()
export class LeadExportSlots {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.prefix = `${config.redis.prefix}:export-slots:`;
  }

  /** A slot of the tenant's, or undefined when EXPORTS_PER_TENANT exports already run. */
  async acquire(tenantId: string): Promise<ExportSlot | undefined> {
    const key = this.prefix + tenantId;
    const member = new Types.ObjectId().toHexString();
    const now = Date.now();
    const taken = (await this.redis.eval(
      ACQUIRE,
      1,
      key,
      String(now),
      String(now + EXPORT_LEASE_MS),
      String(EXPORTS_PER_TENANT),
      member,
      String(EXPORT_LEASE_MS * 2),
    )) as number;
    if (taken !== 1) return undefined;
    const timer = setInterval(() => {
      this.redis
        .eval(
          RENEW,
          1,
          key,
          String(Date.now() + EXPORT_LEASE_MS),
          member,
          String(EXPORT_LEASE_MS * 2),
        )
        .catch(() => undefined);
    }, EXPORT_RENEW_MS);
    timer.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.redis.zrem(key, member).catch(() => undefined);
      },
    };
  }
}
