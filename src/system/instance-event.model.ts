import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum InstanceEventType {
  STARTED = 'STARTED',
  STOPPING = 'STOPPING',
}
registerEnumType(InstanceEventType, { name: 'InstanceEventType' });

@ObjectType({ description: 'An api or worker process joining or leaving the deployment.' })
export class InstanceEvent {
  @Field(() => InstanceEventType)
  type!: InstanceEventType;

  @Field(() => String)
  instanceId!: string;

  @Field(() => String, { description: 'api, worker or all.' })
  role!: string;

  @Field(() => Date)
  at!: Date;
}
