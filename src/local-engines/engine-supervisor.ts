import type { EngineCheck } from './engine-checks';
import type { EngineExit, LocalEngine } from './local-engine';
import {
  afterCheck,
  afterRestart,
  INITIAL_STATE,
  mayRestart,
  restartDelayMs,
  SupervisionState,
} from './supervision-policy';

/** The subset of Nest's LoggerService the supervisor writes to. */
export interface SupervisorLogger {
  log(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
}

export interface EngineSupervisorOptions {
  /** "MongoDB" or "Redis", for the logs. */
  readonly role: string;
  readonly engine: LocalEngine;
  /**
   * Starts a fresh engine on `port` (memory: empty; persistent: the same data folder).
   * `previousExit`: how the engine it replaces ended, when it exited by itself.
   */
  readonly start: (port: number, previousExit: EngineExit | undefined) => Promise<LocalEngine>;
  readonly check: EngineCheck;
  readonly watchIntervalMs: number;
  readonly maxRestarts: number;
  readonly logger: SupervisorLogger;
}

/**
 * Keeps one local engine alive for the process that started it. It restarts the engine when its
 * process exits, or when its write+read check fails several times in a row (an engine can stay up
 * and refuse every write: mongo-java-server after its H2 store closed). The new engine listens on
 * the same port, so the app's MongoDB and Redis clients reconnect to it by themselves. After
 * `maxRestarts` restarts in a row it gives up and says so; the app then answers UNAVAILABLE.
 */
export class EngineSupervisor {
  private current: LocalEngine;
  private state: SupervisionState = INITIAL_STATE;
  private totalRestarts = 0;
  /** Bumped by every restart, so a check that started before it does not count after it. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private watching = true;
  private gaveUp = false;

  constructor(private readonly options: EngineSupervisorOptions) {
    this.current = options.engine;
    this.watchExit(this.current);
    this.scheduleCheck();
  }

  get name(): string {
    return this.current.name;
  }

  get uri(): string {
    return this.current.uri;
  }

  /** The pid of the engine running now (it changes with each restart). */
  get pid(): number | undefined {
    return this.current.pid;
  }

  /** Restarts made since this supervisor started. */
  get restarts(): number {
    return this.totalRestarts;
  }

  /** Stops checking and restarting (shutdown has begun); the engine keeps running. */
  stopWatching(): void {
    this.watching = false;
    clearTimeout(this.timer);
    this.wakeUp?.();
  }

  /** Stops watching, waits for a restart under way, then stops the engine and the check client. */
  async stop(): Promise<void> {
    this.stopWatching();
    await this.restarting;
    await Promise.allSettled([this.current.stop(), this.options.check.close()]);
  }

  private scheduleCheck(): void {
    clearTimeout(this.timer);
    if (!this.watching || this.gaveUp) return;
    this.timer = setTimeout(() => void this.check(), this.options.watchIntervalMs);
    // Supervision alone must not keep a process (e.g. Jest's global setup) alive.
    this.timer.unref();
  }

  private async check(): Promise<void> {
    if (!this.watching || this.restarting) return;
    const generation = this.generation;
    let failure: string | undefined;
    try {
      await this.options.check.run();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    // The engine exited (and a restart began) while the check ran: the restart reschedules.
    if (!this.watching || this.restarting || generation !== this.generation) return;
    const { state, restart } = afterCheck(this.state, failure === undefined);
    this.state = state;
    if (failure !== undefined) {
      this.options.logger.warn({
        msg: `local ${this.options.role} engine failed its write+read check`,
        engine: this.current.name,
        pid: this.current.pid,
        failedChecks: state.failedChecks,
        error: failure,
      });
    }
    if (restart)
      this.restart(`${state.failedChecks} write+read checks failed in a row (last: ${failure})`);
    else this.scheduleCheck();
  }

  private watchExit(engine: LocalEngine): void {
    void engine.exited.then(({ code, signal }) => {
      // Exits we caused (a restart, a stop) or of an engine already replaced are expected.
      if (engine !== this.current || !this.watching) return;
      this.restart(`the process exited (code ${code}, signal ${signal})`, { code, signal });
    });
  }

  private restart(reason: string, exit?: EngineExit): void {
    if (!this.watching || this.restarting || this.gaveUp) return;
    clearTimeout(this.timer);
    this.generation++;
    this.restarting = this.restartLoop(reason, exit).finally(() => {
      this.restarting = undefined;
      this.scheduleCheck();
    });
  }

  private async restartLoop(firstReason: string, exit: EngineExit | undefined): Promise<void> {
    const { role, logger, maxRestarts } = this.options;
    let reason = firstReason;
    while (this.watching) {
      const old = this.current;
      if (!mayRestart(this.state, maxRestarts)) {
        this.gaveUp = true;
        logger.error({
          msg: `local ${role} engine is broken and will not be restarted again: requests that need it answer UNAVAILABLE and /health 503 until the app is restarted`,
          engine: old.name,
          reason,
          restartsInARow: this.state.restarts,
          maxRestarts,
        });
        return;
      }
      const delayMs = restartDelayMs(this.state, this.options.watchIntervalMs);
      logger.warn({
        msg: `restarting local ${role} engine`,
        engine: old.name,
        reason,
        pid: old.pid,
        port: old.port,
        restart: this.state.restarts + 1,
        maxRestarts,
        delayMs,
      });
      // By its pid (SIGTERM, then SIGKILL): a no-op when it has exited already.
      await old.stop().catch(() => undefined);
      await this.sleep(delayMs);
      if (!this.watching) return;
      this.state = afterRestart(this.state);
      this.totalRestarts++;
      try {
        // A start that failed after this exit is retried with it too (e.g. to check the store).
        const next = await this.options.start(old.port, exit);
        // Even when stopping meanwhile: stop() stops the current engine once this loop ends.
        this.current = next;
        this.watchExit(next);
        logger.log({
          msg: `local ${role} engine restarted`,
          engine: next.name,
          pid: next.pid,
          port: next.port,
          reason,
        });
        return;
      } catch (error) {
        reason = `restart failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
