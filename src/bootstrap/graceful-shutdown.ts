import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import { INestApplication, LoggerService } from '@nestjs/common';

import { ShutdownStateService } from '@/health/shutdown-state.service';

export interface GracefulShutdownOptions {
  readonly app: INestApplication;
  readonly logger: LoggerService;
  readonly timeoutMs: number;
  /**
   * How long the server keeps taking connections after readiness turns 503, so load balancers
   * notice before connections are refused (SHUTDOWN_DRAIN_DELAY_MS).
   */
  readonly drainDelayMs?: number;
  /** Runs after the app is closed (stops local engines). */
  readonly afterClose?: () => Promise<void>;
  readonly exit?: (code: number) => void;
  /** Signals that trigger the shutdown; tests pass none and call the returned function. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * On SIGTERM or SIGINT: readiness (and /health) turns 503; for the drain delay and while the HTTP
 * requests in flight at the signal finish, the server still takes connections (readiness checks
 * meanwhile answer 503, so load balancers stop routing here; other requests are served, each on a
 * connection closed after its response); then
 * the server stops taking connections, the requests that came during the drain finish, Nest closes
 * the modules (Bull waits for running jobs; a job still running when the timeout fires is left to
 * Bull's stalled-job check, which puts it back on the queue), then connections and engines close.
 * Returns the shutdown function itself, for tests and for fatal errors.
 */
export function installGracefulShutdown(
  options: GracefulShutdownOptions,
): (signal: string) => Promise<void> {
  const { app, logger, timeoutMs, afterClose, drainDelayMs = 0 } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;
  const server = app.getHttpServer() as Server;
  const requests = trackRequests(server);

  const shutdown = (signal: string): Promise<void> => {
    running ??= (async () => {
      logger.log({ msg: 'shutting down', signal, timeoutMs, drainDelayMs }, 'Shutdown');
      const forced = setTimeout(() => {
        logger.error({ msg: 'shutdown timed out; exiting now', timeoutMs }, 'Shutdown');
        exit(1);
      }, timeoutMs);
      forced.unref();
      let code = 0;
      const signalledAt = Date.now();
      try {
        app.get(ShutdownStateService).markShuttingDown();
        requests.startDraining();
        await Promise.all([sleep(drainDelayMs), requests.finished()]);
        server.close();
        server.closeIdleConnections();
        logger.log(
          { msg: 'no longer taking connections', afterMs: Date.now() - signalledAt },
          'Shutdown',
        );
        await requests.finished();
        await app.close();
      } catch (error) {
        code = 1;
        logger.error(
          { msg: 'error while closing the application', error: String(error) },
          'Shutdown',
        );
      }
      try {
        await afterClose?.();
      } catch (error) {
        code = 1;
        logger.error(
          { msg: 'error while stopping local engines', error: String(error) },
          'Shutdown',
        );
      }
      clearTimeout(forced);
      logger.log({ msg: 'stopped', code }, 'Shutdown');
      exit(code);
    })();
    return running;
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => void shutdown(signal));
  }
  return shutdown;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * The HTTP requests in flight (WebSocket upgrades are not requests). Once draining, responses
 * close their connection, so keep-alive clients do not send more requests on it.
 */
function trackRequests(server: Server): {
  startDraining(): void;
  /** Resolves when the requests in flight now have finished (or their connection closed). */
  finished(): Promise<void>;
} {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const closeConnectionAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  // Before the app's own listener, so the header is set before anything is written.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (draining) closeConnectionAfter(res);
  });
  return {
    startDraining() {
      draining = true;
      inFlight.forEach(closeConnectionAfter);
    },
    async finished() {
      await Promise.all(
        [...inFlight].map(
          (res) =>
            new Promise((resolve) =>
              inFlight.has(res) ? res.once('close', resolve) : resolve(undefined),
            ),
        ),
      );
    },
  };
}
