import { Client, createClient } from 'graphql-ws';
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

export interface WsClosed {
  readonly code: number;
  readonly reason: string;
}

/** What one operation over a WsSession received. */
export interface WsOperation<T> {
  readonly events: T[];
  /** GraphQL errors (an `error` message, or `errors` in a result); a socket close is not one. */
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
  /** Resolves at the operation's first answer (result or error), or rejects after `timeoutMs`. */
  answered(timeoutMs?: number): Promise<void>;
  /** Sends `complete`: the server frees the operation. */
  stop(): void;
}

/**
 * A graphql-ws connection held open, to run several operations on one socket and to see how the
 * server ends it (close code and reason).
 */
export class WsSession {
  /** The server's acknowledgement, or the close frame that came instead. */
  readonly opened: Promise<{ accepted: true } | ({ accepted: false } & WsClosed)>;
  /** The close frame, whenever the socket ends. */
  readonly closed: Promise<WsClosed>;
  private readonly client: Client;

  constructor(wsUrl: string, connectionParams: Record<string, unknown>) {
    let onOpened: (outcome: { accepted: true } | ({ accepted: false } & WsClosed)) => void;
    let onClosed: (closed: WsClosed) => void;
    this.opened = new Promise((resolve) => (onOpened = resolve));
    this.closed = new Promise((resolve) => (onClosed = resolve));
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      on: {
        connected: () => onOpened({ accepted: true }),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          const closed = { code, reason: String(reason) };
          onOpened({ accepted: false, ...closed });
          onClosed(closed);
        },
      },
    });
  }

  /** Resolves with the close frame, or with undefined if the socket is still open after `ms`. */
  async closedWithin(ms: number): Promise<WsClosed | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const open = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), ms)),
    );
    try {
      return await Promise.race([this.closed, open]);
    } finally {
      clearTimeout(timer);
    }
  }

  run<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): WsOperation<T> {
    const events: T[] = [];
    const errors: WsOperation<T>['errors'] = [];
    let onAnswer: () => void;
    const firstAnswer = new Promise<void>((resolve) => (onAnswer = resolve));
    const stop = this.client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.data) events.push(value.data);
          if (value.errors) errors.push(...(value.errors as WsOperation<T>['errors']));
          onAnswer();
        },
        error: (error) => {
          // An array of GraphQL errors is the server's `error` message; else the socket closed.
          if (Array.isArray(error)) errors.push(...(error as WsOperation<T>['errors']));
          onAnswer();
        },
        complete: () => onAnswer(),
      },
    );
    return {
      events,
      errors,
      stop,
      answered: async (timeoutMs = 5_000) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`no answer to "${query}" within ${timeoutMs} ms`)),
              timeoutMs,
            )),
        );
        try {
          await Promise.race([firstAnswer, timeout]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
