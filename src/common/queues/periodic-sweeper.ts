import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bull';

/** Bull states in which a job will still run (or is running): what it stands for is not stuck. */
const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'paused']);

/** Whether the queue holds a job of this id that will still run. */
export async function hasLiveJob(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  return job !== null && LIVE_STATES.has(await job.getState());
}

/**
 * A repair that runs every `everyMs` on worker processes from boot: one sweep at a time (a slow
 * one is not overlapped), a failed one logged and retried next time, the running one awaited at
 * shutdown. Subclasses say what a sweep does.
 */
export abstract class PeriodicSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  protected constructor(
    name: string,
    private readonly what: string,
    private readonly everyMs: number,
  ) {
    this.logger = new Logger(name);
  }

  /** One sweep; answers how many records it repaired. */
  abstract sweep(now?: Date): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => {
          this.logger.warn({ msg: `${this.what} sweep failed`, error: String(error) });
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
