import { createClient, Client } from 'graphql-ws';
import Redis from 'ioredis';
import request from 'supertest';
import WebSocket from 'ws';

export interface GraphqlResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T;
  readonly errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
  readonly headers: Record<string, string>;
}

/** POSTs one GraphQL operation, as the dashboard does. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  {
    variables,
    headers = {},
  }: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphqlResponse<T>> {
  const response = await request(url)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set(headers)
    .send({ query, variables });
  const body = response.body as { data?: T; errors?: GraphqlResponse['errors'] };
  return {
    status: response.status,
    data: body.data,
    errors: body.errors,
    headers: response.headers,
  };
}

/** A graphql-ws subscription that records what it receives. */
export class SubscriptionProbe<T> {
  readonly events: T[] = [];
  readonly errors: unknown[] = [];
  private waiters: (() => void)[] = [];
  private readonly client: Client;
  private readonly dispose: () => void;

  constructor(wsUrl: string, query: string, connectionParams: Record<string, unknown> = {}) {
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: false,
      retryAttempts: 0,
    });
    this.dispose = this.client.subscribe<T>(
      { query },
      {
        next: (value) => {
          if (value.data) this.events.push(value.data);
          if (value.errors) this.errors.push(...value.errors);
          this.notify();
        },
        error: (error) => {
          this.errors.push(error);
          this.notify();
        },
        complete: () => this.notify(),
      },
    );
  }

  /** Resolves when an event matches, or rejects after `timeoutMs` with what did arrive. */
  async waitFor(predicate: (event: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.errors.length > 0)
        throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.dispose();
    await this.client.dispose();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

/**
 * Redis PubSub subscriptions attach asynchronously: waits until Redis counts a subscriber on the
 * channel so that an event published next cannot be lost.
 */
export async function waitForRedisSubscriber(
  redisUrl: string,
  channel: string,
  timeoutMs = 5_000,
): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(count) > 0) return;
      if (Date.now() > deadline)
        throw new Error(`no subscriber on ${channel} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    redis.disconnect();
  }
}
