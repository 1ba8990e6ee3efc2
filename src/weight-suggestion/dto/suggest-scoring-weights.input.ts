import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';

@InputType({ description: 'How to fit the weights of the transparent score to outcomes.' })
export class SuggestScoringWeightsInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'Fit the decay half-life too (default true); false keeps the current one.',
  })
  @IsOptional()
  @IsBoolean()
  fitHalfLife?: boolean;
}
