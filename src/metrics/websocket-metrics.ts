import { Gauge, Registry } from 'prom-client';

export interface WebSocketCounts {
  /** Authenticated graphql-ws sockets open on this process. */
  readonly connections: number;
  /** Subscriptions accepted on them and not yet ended. */
  readonly subscriptions: number;
}

/**
 * The WebSocket gauges, read at scrape time from the bookkeeping WsSessions keeps anyway, rather
 * than moved up and down beside it: a close path that forgets a decrement cannot make them drift.
 */
export class WebSocketMetrics {
  private counts: () => WebSocketCounts = () => ({ connections: 0, subscriptions: 0 });

  constructor(registry: Registry) {
    const read = (): WebSocketCounts => this.counts();
    new Gauge({
      name: 'leadscoring_ws_connections',
      help: 'Authenticated graphql-ws connections open on this process.',
      registers: [registry],
      collect() {
        this.set(read().connections);
      },
    });
    new Gauge({
      name: 'leadscoring_ws_subscriptions',
      help: 'GraphQL subscriptions running on this process (accepted, not yet completed or closed).',
      registers: [registry],
      collect() {
        this.set(read().subscriptions);
      },
    });
  }

  /** Where the gauges read from: one source per process (WsSessions). */
  observe(counts: () => WebSocketCounts): void {
    this.counts = counts;
  }
}
