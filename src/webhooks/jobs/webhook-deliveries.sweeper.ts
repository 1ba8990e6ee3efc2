import { Inject, Injectable } from '@nestjs/common';

import { PeriodicSweeper } from '@/common/queues/periodic-sweeper';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { WebhookDeliveriesService } from '../webhook-deliveries.service';

const EVERY_MS = 60 * 60_000;

/**
 * Deletes delivery log entries older than WEBHOOK_DELIVERY_RETENTION_DAYS, hourly on the workers
 * (every worker may run it: deleting twice is harmless). Done in code because the local engine
 * accepts TTL indexes without enforcing them.
 */
@Injectable()
export class WebhookDeliveriesSweeper extends PeriodicSweeper {
  constructor(
    private readonly deliveries: WebhookDeliveriesService,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {
    super(WebhookDeliveriesSweeper.name, 'webhook delivery retention', EVERY_MS);
  }

  async sweep(now = new Date()): Promise<number> {
    const days = this.config.webhooks.deliveryRetentionDays;
    const removed = await this.deliveries.prune(new Date(now.getTime() - days * 86_400_000));
    if (removed > 0) this.logger.log({ msg: 'old webhook deliveries deleted', removed });
    return removed;
  }
}
