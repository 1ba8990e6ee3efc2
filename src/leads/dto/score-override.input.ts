import { Field, Float, InputType } from '@nestjs/graphql';
import { IsDate, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

import { OVERRIDE_REASON_MAX } from '@/scoring/override/score-override.util';

@InputType({ description: "A manual score shown instead of the model's (managers and admins)." })
export class OverrideScoreInput {
  @Field(() => String, { description: 'Your id for the lead.' })
  @IsString()
  @Length(1, 200)
  leadId!: string;

  @Field(() => Float, { description: '0 to 100.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score!: number;

  @Field(() => String, { description: `Why (1 to ${OVERRIDE_REASON_MAX} characters).` })
  @IsString()
  @Length(1, OVERRIDE_REASON_MAX)
  reason!: string;

  @Field(() => Date, { nullable: true, description: 'In the future; none: until cleared.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}
