import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum HealthState {
  UP = 'UP',
  DOWN = 'DOWN',
}
registerEnumType(HealthState, { name: 'HealthState' });

export enum ServiceStatus {
  OK = 'OK',
  DEGRADED = 'DEGRADED',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
}
registerEnumType(ServiceStatus, { name: 'ServiceStatus' });

@ObjectType({ description: 'State of one engine the service depends on.' })
export class DependencyHealth {
  @Field(() => HealthState)
  status!: HealthState;

  @Field(() => Float, { nullable: true, description: 'Round trip of the probe, when it answered.' })
  latencyMs?: number;

  @Field(() => String, { nullable: true, description: 'What answered, e.g. "mongod 8.0.4".' })
  engine?: string;

  @Field(() => String, { nullable: true, description: 'Why the probe failed.' })
  error?: string;
}

@ObjectType()
export class HealthDependencies {
  @Field(() => DependencyHealth)
  mongo!: DependencyHealth;

  @Field(() => DependencyHealth)
  redis!: DependencyHealth;
}

@ObjectType({ description: 'Health of the process that answered.' })
export class Health {
  @Field(() => ServiceStatus)
  status!: ServiceStatus;

  @Field(() => String)
  instanceId!: string;

  @Field(() => String, { description: 'api, worker or all.' })
  role!: string;

  @Field(() => Float)
  uptimeSeconds!: number;

  @Field(() => HealthDependencies)
  dependencies!: HealthDependencies;
}
