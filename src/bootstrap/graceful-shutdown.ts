import type { Server } from 'node:http';

import { INestApplication, LoggerService } from '@nestjs/common';

import { ShutdownStateService } from '@/health/shutdown-state.service';

export interface GracefulShutdownOptions {
  readonly app: INestApplication;
  readonly logger: LoggerService;
  readonly timeoutMs: number;
  /** Runs after the app is closed (stops local engines). */
  readonly afterClose?: () => Promise<void>;
  readonly exit?: (code: number) => void;
  /** Signals that trigger the shutdown; tests pass none and call the returned function. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * On SIGTERM or SIGINT: health turns 503, the server stops taking connections, Nest closes the
 * modules (Bull waits for running jobs; a job still running when the timeout fires is left to
 * Bull's stalled-job check, which puts it back on the queue), then connections and engines close.
 * Returns the shutdown function itself, for tests and for fatal errors.
 */
export function installGracefulShutdown(
  options: GracefulShutdownOptions,
): (signal: string) => Promise<void> {
  const { app, logger, timeoutMs, afterClose } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const shutdown = (signal: string): Promise<void> => {
    running ??= (async () => {
      logger.log({ msg: 'shutting down', signal, timeoutMs }, 'Shutdown');
      const forced = setTimeout(() => {
        logger.error({ msg: 'shutdown timed out; exiting now', timeoutMs }, 'Shutdown');
        exit(1);
      }, timeoutMs);
      forced.unref();
      let code = 0;
      try {
        app.get(ShutdownStateService).markShuttingDown();
        const server = app.getHttpServer() as Server;
        server.close();
        server.closeIdleConnections();
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
