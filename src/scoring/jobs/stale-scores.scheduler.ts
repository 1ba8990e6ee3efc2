import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { SCORING_QUEUE, ScoringJobName } from './scoring-queue.constants';

/**
 * Registers the repeatable freshness job once per deployment (Bull deduplicates repeatable jobs
 * by name and schedule, so every worker may do it): stale scores are recomputed every third of
 * the freshness window, so none is older than about 1.33 windows even if nobody reads it.
 */
@Injectable()
export class StaleScoresScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(StaleScoresScheduler.name);

  constructor(
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = Math.max(60_000, Math.round((this.config.scoring.freshnessMinutes * 60_000) / 3));
    try {
      await this.queue.add(
        ScoringJobName.REFRESH_STALE,
        {},
        { repeat: { every }, removeOnComplete: 10, removeOnFail: 10 },
      );
    } catch (error) {
      this.logger.warn({ msg: 'could not schedule the freshness job', error: String(error) });
    }
  }
}
