import { Module } from '@nestjs/common';

import { InstanceEventsResolver } from './instance-events.resolver';
import { InstanceEventsService } from './instance-events.service';

@Module({
  providers: [InstanceEventsService, InstanceEventsResolver],
  exports: [InstanceEventsService],
})
export class SystemModule {}
