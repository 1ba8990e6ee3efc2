import { ArgsType, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';

@ArgsType()
export class ShadowModelArgs {
  @Field(() => ID, { description: 'A trained model of the tenant (READY or RETIRED).' })
  @IsString()
  @MaxLength(64)
  id!: string;
}

@ArgsType()
export class ModelComparisonArgs {
  @Field(() => ID)
  @IsString()
  @MaxLength(64)
  championId!: string;

  @Field(() => ID)
  @IsString()
  @MaxLength(64)
  challengerId!: string;
}

@ObjectType('ShadowStatus')
export class ShadowStatusModel {
  @Field(() => ID, { nullable: true, description: 'Null: no shadow model.' })
  modelId!: string | null;
  @Field(() => Date, { nullable: true }) since!: Date | null;
  @Field(() => ID, {
    nullable: true,
    description: "The rescoring that fills every lead's shadow score.",
  })
  rescoreJobId!: string | null;
}

@ObjectType('LiveTierConversion')
export class TierConversionModel {
  @Field(() => String) tier!: string;
  @Field(() => Int) outcomes!: number;
  @Field(() => Int) converted!: number;
  @Field(() => Float, { nullable: true }) conversionRate!: number | null;
}

@ObjectType('LiveModelFigures')
export class LiveModelFiguresModel {
  @Field(() => ID) modelId!: string;
  @Field(() => Float, { nullable: true, description: 'AUC of its scores on the outcomes.' })
  auc!: number | null;
  @Field(() => [TierConversionModel], { description: 'Leads by the tier this model gave them.' })
  byTier!: TierConversionModel[];
}

@ObjectType('ModelComparison')
export class ModelComparisonModel {
  @Field(() => Int, { description: 'Leads closed while both models scored them.' })
  outcomes!: number;
  @Field(() => Int) converted!: number;
  @Field(() => LiveModelFiguresModel) champion!: LiveModelFiguresModel;
  @Field(() => LiveModelFiguresModel) challenger!: LiveModelFiguresModel;
}
