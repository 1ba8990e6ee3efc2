import { Resolver, Subscription } from '@nestjs/graphql';

import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { InstanceEvent } from './instance-event.model';
import { InstanceEventsService, toInstanceEvent } from './instance-events.service';
import { InstanceEventMessage } from './system.constants';

@Resolver(() => InstanceEvent)
export class InstanceEventsResolver {
  constructor(private readonly events: InstanceEventsService) {}

  @Roles(Role.ADMIN)
  @Subscription(() => InstanceEvent, {
    description: 'Processes of this deployment starting and stopping, from any api or worker.',
    resolve: (message: InstanceEventMessage) => toInstanceEvent(message),
  })
  instanceEvents(): AsyncIterableIterator<InstanceEventMessage> {
    return this.events.subscribe();
  }
}
