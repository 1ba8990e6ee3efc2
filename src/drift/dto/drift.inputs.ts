import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional, IsString, Length } from 'class-validator';

@ArgsType()
export class ModelDriftArgs {
  @Field(() => ID, {
    nullable: true,
    description: "A trained model's id; default the model deployed now.",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  modelId?: string;
}
