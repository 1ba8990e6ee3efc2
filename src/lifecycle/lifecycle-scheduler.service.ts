import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';

import type { EffectiveLifecycle } from './lifecycle-settings.service';
import {
  LifecycleJobName,
  LIFECYCLE_QUEUE,
  ScheduledRetrainingData,
  scheduleIdFor,
} from './jobs/lifecycle-queue.constants';

const DAY_MS = 86_400_000;

/**
 * The tenant's retraining schedule: one repeatable Bull job (`every` cadence days), replaced
 * whenever the settings change, removed when retraining is turned off. Bull keeps it in Redis,
 * so it survives restarts and fires on exactly one worker.
 */
@Injectable()
export class LifecycleScheduler {
  constructor(@InjectQueue(LIFECYCLE_QUEUE) private readonly queue: Queue) {}

  async sync(tenantId: string, settings: EffectiveLifecycle): Promise<void> {
    await this.remove(tenantId);
    if (!settings.retrainingEnabled) return;
    const data: ScheduledRetrainingData = { tenantId };
    await this.queue.add(LifecycleJobName.SCHEDULED, data, {
      jobId: scheduleIdFor(tenantId),
      repeat: { every: settings.cadenceDays * DAY_MS },
      attempts: 2,
      backoff: { type: 'fixed', delay: 60_000 },
      removeOnComplete: 100,
      removeOnFail: 100,
    });
  }

  /**
   * When the schedule fires next; null without one. Bull aligns `every` to multiples of the
   * cadence since the epoch (00:00 UTC), so the first run comes within one cadence, not exactly
   * one cadence after the change; and its repeatable entry's `next` can name the slot just passed.
   * The delayed job Bull holds for the schedule says when it will really run.
   */
  async nextRunAt(tenantId: string): Promise<Date | null> {
    const schedule = await this.scheduleOf(tenantId);
    if (!schedule) return null;
    const pending = (await this.queue.getDelayed()).find(
      (job) =>
        job.name === String(LifecycleJobName.SCHEDULED) &&
        (job.data as ScheduledRetrainingData).tenantId === tenantId,
    );
    if (pending) return new Date(pending.timestamp + (pending.opts.delay ?? 0));
    return schedule.next ? new Date(schedule.next) : null;
  }

  private async remove(tenantId: string): Promise<void> {
    const schedule = await this.scheduleOf(tenantId);
    if (schedule) await this.queue.removeRepeatableByKey(schedule.key);
  }

  private async scheduleOf(tenantId: string) {
    const id = scheduleIdFor(tenantId);
    const all = await this.queue.getRepeatableJobs();
    return all.find((job) => job.id === id) ?? null;
  }
}
