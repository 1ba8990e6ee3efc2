import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';

import { EventBus } from '@/common/redis/event-bus.service';
import { withTimeout } from '@/common/utils/with-timeout.util';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { InstanceEvent, InstanceEventType } from './instance-event.model';
import { INSTANCE_EVENTS_TOPIC, InstanceEventMessage } from './system.constants';

/** Announces this process to every other one through Redis when it starts and when it stops. */
@Injectable()
export class InstanceEventsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InstanceEventsService.name);

  constructor(
    private readonly eventBus: EventBus,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.announce(InstanceEventType.STARTED);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.announce(InstanceEventType.STOPPING);
  }

  subscribe(): AsyncIterableIterator<InstanceEventMessage> {
    return this.eventBus.iterator<InstanceEventMessage>(INSTANCE_EVENTS_TOPIC);
  }

  private async announce(type: InstanceEventType): Promise<void> {
    const message: InstanceEventMessage = {
      instanceEvents: {
        type,
        instanceId: this.config.instanceId,
        role: this.config.role,
        at: new Date().toISOString(),
      },
    };
    try {
      // Bounded: an unreachable Redis must not hold up start-up or shutdown.
      await withTimeout(
        this.eventBus.publish(INSTANCE_EVENTS_TOPIC, message),
        2_000,
        'publish timed out',
      );
    } catch (error) {
      this.logger.warn({ msg: 'could not announce instance event', type, error: String(error) });
    }
  }
}

export function toInstanceEvent(message: InstanceEventMessage): InstanceEvent {
  const event = message.instanceEvents;
  return {
    type: event.type as InstanceEventType,
    instanceId: event.instanceId,
    role: event.role,
    at: new Date(event.at),
  };
}
