import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

import {
  DriftCheckTrigger,
  DriftFeatureKind,
  DriftRetrainingAction,
} from '../schemas/drift-report.schema';

@ObjectType('ModelDriftBin')
export class ModelDriftBinModel {
  @Field(() => String) label!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Numeric bins: (lower, upper]; null is open (and for category bins).',
  })
  lower!: number | null;

  @Field(() => Float, { nullable: true }) upper!: number | null;

  @Field(() => Float, { description: "Share of the model's training rows." })
  expectedShare!: number;

  @Field(() => Float, { description: 'Share of the open leads.' })
  actualShare!: number;
}

@ObjectType('ModelFeatureDrift')
export class ModelFeatureDriftModel {
  @Field(() => String) name!: string;

  @Field(() => DriftFeatureKind, {
    description:
      'As the model reads it: NUMERIC binned at the training deciles, CATEGORICAL by the levels the model kept (any other in "(other)").',
  })
  kind!: DriftFeatureKind;

  @Field(() => Float, { description: 'Population stability index, training rows to open leads.' })
  psi!: number;

  @Field(() => Boolean, { description: 'PSI above the threshold.' }) flagged!: boolean;

  @Field(() => [ModelDriftBinModel]) bins!: ModelDriftBinModel[];
}

@ObjectType('ModelScoreDrift')
export class ModelScoreDriftModel {
  @Field(() => Float, {
    description:
      "PSI of the model's scores (0–100): its training rows against the open leads, both scored by the model now.",
  })
  psi!: number;

  @Field(() => Boolean) flagged!: boolean;
  @Field(() => [ModelDriftBinModel]) bins!: ModelDriftBinModel[];
}

@ObjectType('DriftRetraining')
export class DriftRetrainingModel {
  @Field(() => DriftRetrainingAction) action!: DriftRetrainingAction;

  @Field(() => ID, {
    nullable: true,
    description: 'The retraining started (STARTED) or the one already running (SKIPPED).',
  })
  decisionId!: string | null;

  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('ModelDriftReport')
export class ModelDriftReportModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) modelId!: string;
  @Field(() => Int) modelVersion!: number;
  @Field(() => String) modelType!: string;

  @Field(() => Boolean, { description: "Whether the model scored the tenant's leads then." })
  deployed!: boolean;

  @Field(() => ID, { description: "The model's training dataset version (the baseline)." })
  datasetVersionId!: string;

  @Field(() => DriftCheckTrigger) trigger!: DriftCheckTrigger;
  @Field(() => ID, { nullable: true }) requestedBy!: string | null;

  @Field(() => Float, { description: "The tenant's drift threshold then." })
  threshold!: number;

  @Field(() => Boolean, { description: 'A feature or the score above the threshold.' })
  flagged!: boolean;

  @Field(() => [String]) flaggedFeatures!: string[];
  @Field(() => Float) maxFeaturePsi!: number;

  @Field(() => [ModelFeatureDriftModel], {
    description: "Every raw feature the model's fitted transformation uses.",
  })
  features!: ModelFeatureDriftModel[];

  @Field(() => ModelScoreDriftModel) score!: ModelScoreDriftModel;

  @Field(() => Int, {
    description: 'Training rows compared (a sample of versionRows beyond the cap).',
  })
  baselineRows!: number;

  @Field(() => Int) versionRows!: number;

  @Field(() => Int, { description: 'Open leads compared (a sample of openLeads beyond the cap).' })
  currentRows!: number;

  @Field(() => Int, { description: 'Leads without an outcome when it was computed.' })
  openLeads!: number;

  @Field(() => [String]) notes!: string[];

  @Field(() => DriftRetrainingModel, {
    nullable: true,
    description:
      'What a flagged drift of the deployed model did when the tenant retrains on drift (null: nothing asked).',
  })
  retraining!: DriftRetrainingModel | null;

  @Field(() => Date) computedAt!: Date;
}
