import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { ColumnRole } from '@/ml/setup/column-role.util';
import { TrainableModelType } from '@/training/dto/training.inputs';
import { TransformationModel } from '@/versions/models/dataset.models';

import { DatasetProfileStatus, SetupSource } from '../schemas/dataset-profile.schema';
import { SetupFlagModel } from './dataset-profile.models';

registerEnumType(SetupSource, {
  name: 'SetupSource',
  description:
    'DETERMINISTIC: from the profile by fixed rules; AI: the OpenAI model’s second opinion.',
});

@ObjectType('SetupChoice', { description: 'One decision of a recommendation and why.' })
export class SetupChoiceModel {
  @Field(() => String, { description: 'e.g. numeric.log1p, earlyStopping.' })
  field!: string;

  @Field(() => String, { description: 'The value chosen, as JSON.' })
  value!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType('FeatureDecision')
export class FeatureDecisionModel {
  @Field(() => String)
  name!: string;

  @Field(() => ColumnRole)
  role!: ColumnRole;

  @Field(() => String)
  reason!: string;
}

@ObjectType('ModelProposal')
export class ModelProposalModel {
  @Field(() => TrainableModelType)
  type!: TrainableModelType;

  @Field(() => GraphQLJSONObject, { description: 'Every parameter, defaults filled in.' })
  params!: Record<string, unknown>;

  @Field(() => String)
  reason!: string;

  @Field(() => [SetupChoiceModel])
  choices!: SetupChoiceModel[];
}

@ObjectType('SetupRecommendation')
export class SetupRecommendationModel {
  @Field(() => SetupSource)
  source!: SetupSource;

  @Field(() => TransformationModel, {
    nullable: true,
    description: 'Null when no column is left to train on.',
  })
  transformation!: TransformationModel | null;

  @Field(() => [FeatureDecisionModel])
  included!: FeatureDecisionModel[];

  @Field(() => [FeatureDecisionModel], { description: 'Left out, each with its reason.' })
  excluded!: FeatureDecisionModel[];

  @Field(() => [SetupChoiceModel])
  transformationChoices!: SetupChoiceModel[];

  @Field(() => ModelProposalModel, { nullable: true })
  model!: ModelProposalModel | null;

  @Field(() => [String])
  notes!: string[];
}

@ObjectType('AppliedSetup', {
  description: 'The transformation and model an admin chose to train with (applySetup).',
})
export class AppliedSetupModel {
  @Field(() => ID)
  versionId!: string;

  @Field(() => SetupSource, { description: 'The recommendation it started from.' })
  source!: SetupSource;

  @Field(() => TransformationModel)
  transformation!: TransformationModel;

  @Field(() => TrainableModelType)
  modelType!: TrainableModelType;

  @Field(() => GraphQLJSONObject)
  params!: Record<string, unknown>;

  @Field(() => Int)
  seed!: number;

  @Field(() => [String], { description: 'Columns kept although flagged as possible leakage.' })
  keptFlagged!: string[];

  @Field(() => GraphQLJSONObject, {
    description: 'The TrainModelInput to pass to trainModel as it is.',
  })
  trainInput!: Record<string, unknown>;

  @Field(() => String)
  appliedBy!: string;

  @Field(() => Date)
  appliedAt!: Date;
}

@ObjectType('SetupRecommendations', {
  description:
    'The deterministic recommendation and, when OpenAI is configured, the model’s second opinion, side by side.',
})
export class SetupRecommendationsModel {
  @Field(() => ID)
  versionId!: string;

  @Field(() => DatasetProfileStatus, { description: 'Recommendations come once it is READY.' })
  status!: DatasetProfileStatus;

  @Field(() => [SetupFlagModel])
  flags!: SetupFlagModel[];

  @Field(() => SetupRecommendationModel, { nullable: true })
  deterministic!: SetupRecommendationModel | null;

  @Field(() => SetupRecommendationModel, { nullable: true })
  ai!: SetupRecommendationModel | null;

  @Field(() => String, { nullable: true, description: 'The OpenAI model that answered.' })
  aiModel!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why there is no AI recommendation (no key, the call failed, an invalid answer).',
  })
  aiUnavailableReason!: string | null;

  @Field(() => AppliedSetupModel, { nullable: true, description: 'The last applySetup.' })
  applied!: AppliedSetupModel | null;
}
