import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as the receiver got it: the raw body (what signatures cover) and its JSON. */
export interface ReceivedDelivery {
  readonly at: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: {
    id: string;
    type: string;
    createdAt: string;
    tenantId: string;
    data: Record<string, unknown>;
  };
}

export interface Reply {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly delayMs?: number;
}

/**
 * A customer's webhook endpoint on a loopback port: records every request and answers each path
 * with its scripted replies in turn (then its standing reply, by default 200).
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** Requests as they arrive (before their reply, which may be delayed). */
  readonly arrived: { readonly path: string; readonly at: number }[] = [];
  private readonly queued = new Map<string, Reply[]>();
  private readonly standing = new Map<string, Reply>();
  private waiters: (() => void)[] = [];
  private server?: Server;
  private base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0];
        const body = Buffer.concat(chunks).toString('utf8');
        const reply = this.queued.get(path)?.shift() ?? this.standing.get(path) ?? {};
        this.arrived.push({ path, at: Date.now() });
        this.notify();
        const answer = () => {
          // Recorded when answered, so a test sees a delivery only once its outcome is decided.
          this.received.push({
            at: Date.now(),
            path,
            headers: req.headers,
            body,
            json: JSON.parse(body) as ReceivedDelivery['json'],
          });
          res.writeHead(reply.status ?? 200, reply.headers).end(reply.body ?? 'ok');
          this.notify();
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** Answers the next requests to `path` with these replies, in order. */
  script(path: string, ...replies: Reply[]): void {
    this.queued.set(path, [...(this.queued.get(path) ?? []), ...replies]);
  }

  /** Answers every request to `path` (after the scripted ones) with `reply`. */
  always(path: string, reply: Reply): void {
    this.standing.set(path, reply);
  }

  on(path: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.path === path);
  }

  /** Waits until `path` has received at least `count` requests matching `predicate`. */
  async waitFor(
    path: string,
    count = 1,
    predicate: (delivery: ReceivedDelivery) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<ReceivedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.on(path).filter(predicate);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `${path}: ${found.length} of ${count} deliveries within ${timeoutMs} ms; got ${JSON.stringify(
            this.on(path).map((d) => d.json),
          )}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until `count` requests to `path` have arrived, answered or not. */
  async waitForArrivals(path: string, count = 1, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.arrived.filter((request) => request.path === path).length < count) {
      if (Date.now() > deadline) throw new Error(`${path}: ${count} requests expected`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
