import Redis from 'ioredis';

import type { SubscriptionProbe } from './graphql-client';

/** The Redis channel an app's EventBus uses for a topic (see EventBus.channel). */
export function eventBusChannel(redisPrefix: string, topic: string): string {
  return `${redisPrefix}:events:${topic}`;
}

/**
 * A Redis connection of the test's own on one EventBus channel: counts the channel's subscribers
 * as Redis sees them, and publishes on it as another process of the deployment would.
 */
export class EventBusChannel {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    readonly channel: string,
  ) {
    this.redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  /** `PUBSUB NUMSUB <channel>`: how many connections are subscribed to the channel. */
  async subscribers(): Promise<number> {
    const [, count] = (await this.redis.pubsub('NUMSUB', this.channel)) as [string, number];
    return Number(count);
  }

  /**
   * Waits until Redis counts at least `expected` subscribed connections on the channel. An app
   * process holds one subscriber connection for all of its subscriptions to a channel, so this says
   * that each expected process listens, not that every socket's subscription has attached behind
   * it: for that, see `publishUntilReceived`.
   */
  async waitForSubscribers(expected: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = await this.subscribers();
      if (count >= expected) return count;
      if (Date.now() > deadline)
        throw new Error(
          `${count} subscriber(s) on ${this.channel} after ${timeoutMs} ms, expected ${expected}`,
        );
      await delay(10);
    }
  }

  /** Publishes as the EventBus does: the payload as JSON on the channel. */
  async publish(payload: object): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(payload));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Publishes with `publish` and waits until `received()` holds, publishing again every
 * `intervalMs` while it does not: subscriptions attach asynchronously, so one publish may come
 * before a subscription exists, but a later one reaches it. Use with events the test can tell
 * apart (and leave out of its assertions); replaces a fixed sleep after subscribing.
 */
export async function publishUntilReceived(
  publish: () => Promise<void>,
  received: () => boolean,
  { intervalMs = 100, timeoutMs = 10_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await publish();
    const roundEnds = Math.min(Date.now() + intervalMs, deadline);
    while (Date.now() < roundEnds) {
      if (received()) return;
      await delay(5);
    }
    if (received()) return;
    if (Date.now() >= deadline) throw new Error(`not received within ${timeoutMs} ms`);
  }
}

/**
 * For negative checks ("this subscriber does not receive that event"): a subscription delivers
 * events in the order Redis delivered their messages, so once a sentinel published after the
 * unwanted event has arrived, the unwanted event would have arrived before it. Waits for the
 * sentinel and answers the events received before it.
 */
export async function eventsBeforeSentinel<T>(
  probe: SubscriptionProbe<T>,
  isSentinel: (event: T) => boolean,
  timeoutMs = 10_000,
): Promise<T[]> {
  await probe.waitFor(isSentinel, timeoutMs);
  return probe.events.slice(0, probe.events.findIndex(isSentinel));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
