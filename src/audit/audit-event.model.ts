import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';

import { AuditAction } from './audit-action.enum';

@ObjectType('AuditEvent')
export class AuditEventModel {
  @Field(() => ID)
  id!: string;

  @Field(() => AuditAction)
  action!: AuditAction;

  @Field(() => ID, { nullable: true, description: 'Who did it (null when not authenticated).' })
  actorId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Whom it concerned.' })
  targetId!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => GraphQLJSONObject)
  details!: Record<string, unknown>;

  @Field(() => Date)
  createdAt!: Date;
}
