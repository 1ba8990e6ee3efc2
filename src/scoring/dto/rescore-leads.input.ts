import { Field, Float, ID, InputType } from '@nestjs/graphql';
import { IsIn, IsMongoId, IsNumber, IsOptional, Max, Min } from 'class-validator';

export const LEAD_STATUSES = ['NEW', 'WORKING', 'QUALIFIED', 'CONVERTED', 'LOST'] as const;

@InputType({ description: 'Which leads: all of the tenant when empty.' })
export class RescoreLeadsFilter {
  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number;

  @Field(() => ID, {
    nullable: true,
    description: 'Leads of this owner; reps always get their own.',
  })
  @IsOptional()
  @IsMongoId()
  ownerId?: string;

  @Field(() => String, { nullable: true, description: `One of ${LEAD_STATUSES.join(', ')}.` })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;
}
