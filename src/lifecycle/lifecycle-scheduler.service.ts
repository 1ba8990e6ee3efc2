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

  /** When the schedule fires next; null without one. */
  async nextRunAt(tenantId: string): Promise<Date | null> {
    const schedule = await this.scheduleOf(tenantId);
    return schedule?.next ? new Date(schedule.next) : null;
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
