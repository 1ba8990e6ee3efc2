import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import Redis from 'ioredis';
import { Connection, ConnectionStates } from 'mongoose';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { describeMongoEngine } from '@/common/tenancy/mongo-engine.util';
import { withTimeout } from '@/common/utils/with-timeout.util';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { DependencyHealth, Health, HealthState, ServiceStatus } from './health.model';
import { ShutdownStateService } from './shutdown-state.service';
import {
  HEALTH_PROBES_COLLECTION,
  mongoWriteRead,
  ProbeDocument,
  redisWriteRead,
} from './write-read-checks';

// A write and a read, not a ping: a cold mongo-java-server on H2 takes up to ~600 ms for them.
const PROBE_TIMEOUT_MS = 1_000;

@Injectable()
export class HealthService {
  private mongoEngine: string | undefined;
  private inflight?: Promise<Health>;

  constructor(
    @InjectConnection() private readonly mongo: Connection,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
    private readonly shutdownState: ShutdownStateService,
  ) {}

  /**
   * Concurrent checks share one probe: they would write the same probe document at once (one
   * upsert losing to the other's, one read seeing the other's value) and report a healthy engine
   * down; and a burst of health checks costs the engines one write and read, not one each.
   */
  check(): Promise<Health> {
    this.inflight ??= this.runCheck().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async runCheck(): Promise<Health> {
    const [mongo, redis] = await Promise.all([this.probeMongo(), this.probeRedis()]);
    const allUp = mongo.status === HealthState.UP && redis.status === HealthState.UP;
    return {
      status: this.shutdownState.isShuttingDown
        ? ServiceStatus.SHUTTING_DOWN
        : allUp
          ? ServiceStatus.OK
          : ServiceStatus.DEGRADED,
      instanceId: this.config.instanceId,
      role: this.config.role,
      uptimeSeconds: Math.round(process.uptime()),
      dependencies: { mongo, redis },
    };
  }

  private async probeMongo(): Promise<DependencyHealth> {
    return probe(async () => {
      const db = this.mongo.db;
      if (!db) throw new Error('not connected');
      // A real write and read, not a ping: an engine can answer pings and refuse every write.
      // Tried even while mongoose says it is disconnected: its state lags behind a restarted
      // engine until the driver looks again, and looking again is what this attempt makes it do.
      try {
        await mongoWriteRead(
          db.collection<ProbeDocument>(HEALTH_PROBES_COLLECTION),
          this.config.instanceId,
        );
      } catch (error) {
        if (this.mongo.readyState === ConnectionStates.connected) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`not connected (${reason})`, { cause: error });
      }
      this.mongoEngine ??= await this.describeMongoEngine();
      return this.mongoEngine;
    });
  }

  private async describeMongoEngine(): Promise<string> {
    return describeMongoEngine(await this.mongo.db!.admin().command({ buildInfo: 1 }));
  }

  private async probeRedis(): Promise<DependencyHealth> {
    return probe(async () => {
      // Checked first: a disconnected ioredis client queues commands instead of failing them.
      if (this.redis.status !== 'ready') throw new Error(`connection ${this.redis.status}`);
      await redisWriteRead(
        this.redis,
        `${this.config.redis.prefix}:health:${this.config.instanceId}`,
      );
      return undefined;
    });
  }
}

async function probe(action: () => Promise<string | undefined>): Promise<DependencyHealth> {
  const startedAt = performance.now();
  try {
    const engine = await withTimeout(
      action(),
      PROBE_TIMEOUT_MS,
      `no answer within ${PROBE_TIMEOUT_MS} ms`,
    );
    return { status: HealthState.UP, latencyMs: round(performance.now() - startedAt), engine };
  } catch (error) {
    return {
      status: HealthState.DOWN,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
