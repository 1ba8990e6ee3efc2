import { randomUUID } from 'node:crypto';

import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import Redis from 'ioredis';
import WebSocket from 'ws';

import { AuthException } from '@/auth/auth.exception';
import type { AuthUser } from '@/auth/auth-user';
import {
  AccessTokenService,
  TOKENS_REVOKED_TOPIC,
  TokenRevocation,
} from '@/auth/tokens/access-token.service';
import { ErrorCode } from '@/common/errors/error-code';
import { EventBus } from '@/common/redis/event-bus.service';
import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import type { GraphqlOperationMetrics } from '@/metrics/graphql-operation-metrics';
import { MetricsService } from '@/metrics/metrics.service';
import type { WebSocketCounts } from '@/metrics/websocket-metrics';
import { RateLimiterService } from '@/rate-limit/rate-limiter.service';

import { revocationConcerns } from './revocation-concerns.util';
import { SocketLease, SocketLeases } from './socket-leases';
import { checkTokenExpiry } from './token-expiry.util';
import { WsClose, WsCloseFrame } from './ws-close';

/** How long a socket counts for its user without its process renewing it (a dead process). */
const LEASE_MS = 60_000;
/** Leases are renewed, and every socket's token checked again, this often. */
const UPKEEP_EVERY_MS = 20_000;

interface LiveSocket {
  readonly user: AuthUser;
  readonly token: string;
  readonly lease: SocketLease;
  /** Ids of the subscriptions running on the socket (graphql-ws' own list also holds queries). */
  readonly subscriptions: Set<string>;
  expiryTimer?: NodeJS.Timeout;
}

/**
 * The authenticated WebSockets of this api process, kept honest after the handshake: a socket
 * closes (4403) when its token is revoked (announced on the EventBus by any process, and checked
 * again every UPKEEP_EVERY_MS in case an announcement was missed) or expires; a user holds at most
 * WS_MAX_SOCKETS_PER_USER sockets across all processes (4429); every operation is counted against
 * the user's rate limit and the socket's WS_MAX_SUBSCRIPTIONS_PER_SOCKET.
 */
@Injectable()
export class WsSessions implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WsSessions.name);
  private readonly live = new Map<WebSocket, LiveSocket>();
  private readonly leases: SocketLeases;
  private revocations?: AsyncIterableIterator<TokenRevocation>;
  private upkeep?: NodeJS.Timeout;
  /** For the graphql-ws hooks and Apollo plugin, built where only this service is injected. */
  readonly operationMetrics: GraphqlOperationMetrics;

  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly events: EventBus,
    private readonly rateLimiter: RateLimiterService,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
    metrics: MetricsService,
  ) {
    this.operationMetrics = metrics.graphqlOperations;
    metrics.webSocket.observe(() => this.counts());
    this.leases = new SocketLeases(redis, {
      keyPrefix: `${config.redis.prefix}:ws:sockets:`,
      maxPerUser: config.websocket.maxSocketsPerUser,
      leaseMs: LEASE_MS,
    });
  }

  /**
   * The connection_init of a socket: answers its user, or undefined when it must be refused
   * (a bad token: graphql-ws closes it with 4403; too many sockets: closed here with 4429).
   */
  async open(socket: WebSocket, token: string | undefined): Promise<AuthUser | undefined> {
    if (!token) return undefined;
    this.startListening();
    let user: AuthUser;
    try {
      user = await this.accessTokens.verify(token);
    } catch {
      return undefined;
    }
    const lease = { userId: user.userId, socketId: `${this.config.instanceId}:${randomUUID()}` };
    if (!(await this.leases.acquire(lease))) {
      const frame = WsClose.tooManySockets(this.config.websocket.maxSocketsPerUser);
      socket.close(frame.code, frame.reason);
      return undefined;
    }
    // The client may have gone while we were asking Redis: its close event has already passed.
    if (socket.readyState !== WebSocket.OPEN) {
      await this.leases.release(lease);
      return undefined;
    }
    const live: LiveSocket = { user, token, lease, subscriptions: new Set() };
    this.live.set(socket, live);
    this.armExpiry(socket, live);
    return user;
  }

  /** Operations in flight on one socket (subscriptions, and queries until they answer). */
  socketCapError(operationsOnSocket: number): GraphQLError | undefined {
    const max = this.config.websocket.maxSubscriptionsPerSocket;
    if (operationsOnSocket <= max) return undefined;
    return new GraphQLError(
      `a socket may run at most ${max} subscriptions at once: complete one or open another socket`,
      {
        extensions: {
          code: ErrorCode.BAD_USER_INPUT,
          limit: 'MAX_SUBSCRIPTIONS_PER_SOCKET',
          actual: operationsOnSocket,
          max,
        },
      },
    );
  }

  /** Counts one operation against the user's budget, the one HTTP requests spend too. */
  async budgetError(user: AuthUser): Promise<GraphQLError | undefined> {
    const retryAfterSeconds = await this.rateLimiter.hitUserBudget(user.userId);
    if (retryAfterSeconds === undefined) return undefined;
    return new GraphQLError(`too many requests: retry in ${retryAfterSeconds} s`, {
      extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
    });
  }

  subscriptionStarted(socket: WebSocket, id: string): void {
    this.live.get(socket)?.subscriptions.add(id);
  }

  subscriptionEnded(socket: WebSocket, id: string): void {
    this.live.get(socket)?.subscriptions.delete(id);
  }

  /** Forgetting a socket (however it closed) forgets its subscriptions with it. */
  async closed(socket: WebSocket): Promise<void> {
    const live = this.live.get(socket);
    if (!live) return;
    this.live.delete(socket);
    clearTimeout(live.expiryTimer);
    await this.leases
      .release(live.lease)
      .catch((error: unknown) => this.logger.warn(`socket lease not released: ${String(error)}`));
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.upkeep);
    this.upkeep = undefined;
    void this.revocations?.return?.();
    this.revocations = undefined;
    for (const live of this.live.values()) clearTimeout(live.expiryTimer);
  }

  private counts(): WebSocketCounts {
    let subscriptions = 0;
    for (const live of this.live.values()) subscriptions += live.subscriptions.size;
    return { connections: this.live.size, subscriptions };
  }

  /** Once per process, at its first socket: one Redis subscription serves every socket. */
  private startListening(): void {
    if (this.revocations) return;
    const revocations = this.events.iterator<TokenRevocation>(TOKENS_REVOKED_TOPIC);
    this.revocations = revocations;
    void (async () => {
      for await (const revocation of revocations) {
        await this.recheck(
          [...this.live].filter(([, live]) => revocationConcerns(revocation, live.user)),
        );
      }
    })().catch((error: unknown) =>
      this.logger.error(`token revocations no longer heard: ${String(error)}`),
    );
    this.upkeep = setInterval(() => void this.runUpkeep(), UPKEEP_EVERY_MS);
    this.upkeep.unref();
  }

  private async runUpkeep(): Promise<void> {
    const sockets = [...this.live];
    await Promise.all([
      this.leases
        .renew(sockets.map(([, live]) => live.lease))
        .catch((error: unknown) => this.logger.warn(`socket leases not renewed: ${String(error)}`)),
      this.recheck(sockets),
    ]);
  }

  /** Verifies the sockets' tokens again against Redis, which knows every revocation. */
  private async recheck(sockets: readonly [WebSocket, LiveSocket][]): Promise<void> {
    await Promise.all(
      sockets.map(async ([socket, live]) => {
        try {
          await this.accessTokens.verify(live.token);
        } catch (error) {
          // Only a definite "no": a Redis outage must not close every socket of the process.
          if (!(error instanceof AuthException)) {
            this.logger.warn(`socket token not rechecked: ${String(error)}`);
            return;
          }
          const expired = checkTokenExpiry(live.user.exp, Date.now()).expired;
          this.shut(socket, expired ? WsClose.TOKEN_EXPIRED : WsClose.TOKEN_REVOKED);
        }
      }),
    );
  }

  private armExpiry(socket: WebSocket, live: LiveSocket): void {
    const check = checkTokenExpiry(live.user.exp, Date.now());
    if (check.expired) {
      this.shut(socket, WsClose.TOKEN_EXPIRED);
      return;
    }
    live.expiryTimer = setTimeout(() => this.armExpiry(socket, live), check.checkAgainInMs);
    live.expiryTimer.unref();
  }

  /** Closing ends the socket's subscriptions; `closed` then forgets it. */
  private shut(socket: WebSocket, frame: WsCloseFrame): void {
    if (this.live.has(socket)) socket.close(frame.code, frame.reason);
  }
}
