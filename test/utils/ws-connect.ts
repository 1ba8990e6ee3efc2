import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export type WsOutcome = { accepted: true } | { accepted: false; closeCode: number; reason: string };

/** Opens a graphql-ws connection with these connection params and reports whether it was accepted. */
export function wsConnect(
  wsUrl: string,
  connectionParams: Record<string, unknown>,
  timeoutMs = 5_000,
): Promise<WsOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: true,
      retryAttempts: 0,
      on: {
        connected: () => settle({ accepted: true }),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          settle({ accepted: false, closeCode: code, reason: String(reason) });
        },
      },
    });
    // A lazy client connects on its first subscription; its errors arrive here, not as throws.
    const unsubscribe = client.subscribe(
      { query: 'subscription { instanceEvents { type } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    const timer = setTimeout(
      () => settle({ accepted: false, closeCode: -1, reason: 'timeout' }),
      timeoutMs,
    );
    function settle(outcome: WsOutcome) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      // Later, outside graphql-ws' own close handling, which would otherwise reject into the void.
      setImmediate(() => {
        unsubscribe();
        void client.dispose();
      });
    }
  });
}
