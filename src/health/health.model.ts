import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

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
@ApiSchema({ name: 'DependencyHealth', description: 'State of one engine the service depends on.' })
export class DependencyHealth {
  @Field(() => HealthState)
  @ApiProperty({ enum: HealthState, enumName: 'HealthState' })
  status!: HealthState;

  @Field(() => Float, { nullable: true, description: 'Round trip of the probe, when it answered.' })
  @ApiPropertyOptional({ type: Number, description: 'Round trip of the probe, when it answered.' })
  latencyMs?: number;

  @Field(() => String, { nullable: true, description: 'What answered, e.g. "mongod 8.0.4".' })
  @ApiPropertyOptional({ type: String, description: 'What answered, e.g. "mongod 8.0.4".' })
  engine?: string;

  @Field(() => String, { nullable: true, description: 'Why the probe failed.' })
  @ApiPropertyOptional({ type: String, description: 'Why the probe failed.' })
  error?: string;
}

@ObjectType()
@ApiSchema({ name: 'HealthDependencies' })
export class HealthDependencies {
  @Field(() => DependencyHealth)
  @ApiProperty({ type: () => DependencyHealth })
  mongo!: DependencyHealth;

  @Field(() => DependencyHealth)
  @ApiProperty({ type: () => DependencyHealth })
  redis!: DependencyHealth;
}

@ObjectType({ description: 'Health of the process that answered.' })
@ApiSchema({ name: 'Health', description: 'Health of the process that answered.' })
export class Health {
  @Field(() => ServiceStatus)
  @ApiProperty({ enum: ServiceStatus, enumName: 'ServiceStatus' })
  status!: ServiceStatus;

  @Field(() => String)
  @ApiProperty()
  instanceId!: string;

  @Field(() => String, { description: 'api, worker or all.' })
  @ApiProperty({ description: 'api, worker or all.' })
  role!: string;

  @Field(() => Float)
  @ApiProperty()
  uptimeSeconds!: number;

  @Field(() => HealthDependencies)
  @ApiProperty({ type: () => HealthDependencies })
  dependencies!: HealthDependencies;
}
