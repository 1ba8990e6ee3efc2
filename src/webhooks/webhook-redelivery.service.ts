import { Injectable, Logger } from '@nestjs/common';

import { WebhookDeliveryProducer } from './jobs/webhook-delivery.producer';
import { WebhookDelivery } from './schemas/webhook-delivery.schema';
import { WebhookStatus } from './schemas/webhook-subscription.schema';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhooksService } from './webhooks.service';
import { WebhooksException } from './webhooks.exception';

/** Sends a dead-lettered (or skipped) delivery again: same event, same body, a new retry window. */
@Injectable()
export class WebhookRedelivery {
  private readonly logger = new Logger(WebhookRedelivery.name);

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly producer: WebhookDeliveryProducer,
  ) {}

  async redeliver(tenantId: string, id: string): Promise<WebhookDelivery> {
    const current = await this.deliveries.get(tenantId, id);
    const webhook = await this.webhooks.get(tenantId, current.webhookId.toHexString());
    if (webhook.status !== WebhookStatus.ACTIVE) throw WebhooksException.paused();
    const reopened = await this.deliveries.reopen(tenantId, id);
    try {
      await this.producer.redeliver({
        tenantId,
        webhookId: reopened.webhookId.toHexString(),
        deliveryId: id,
        eventId: reopened.eventId,
        eventType: reopened.eventType,
        body: reopened.body,
        redelivery: reopened.redeliveries,
      });
    } catch (error) {
      this.logger.warn({ msg: 'redelivery not queued', deliveryId: id, error: String(error) });
      await this.deliveries.restore(reopened, current.status);
      throw WebhooksException.queueUnavailable();
    }
    return reopened;
  }
}
