import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Paginated } from '@/common/graphql/paginated.model';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { TransformationModel } from '@/versions/models/dataset.models';

import { MlModelStatus, MlModelType } from '../schemas/ml-model.schema';

registerEnumType(MlModelType, { name: 'MlModelType' });
registerEnumType(MlModelStatus, {
  name: 'MlModelStatus',
  description: 'TRAINING → READY (or FAILED) → DEPLOYED → RETIRED when another replaces it.',
});

@ObjectType('ConfusionMatrix')
export class ConfusionMatrixModel {
  @Field(() => Int) tp!: number;
  @Field(() => Int) fp!: number;
  @Field(() => Int) tn!: number;
  @Field(() => Int) fn!: number;
}

@ObjectType('CalibrationBin')
export class CalibrationBinModel {
  @Field(() => Int) bin!: number;
  @Field(() => Float) lower!: number;
  @Field(() => Float) upper!: number;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanPredicted!: number | null;
  @Field(() => Float, { nullable: true }) observedRate!: number | null;
}

@ObjectType('RocPoint')
export class RocPointModel {
  @Field(() => Float) fpr!: number;
  @Field(() => Float) tpr!: number;
  @Field(() => Float) threshold!: number;
}

@ObjectType('ModelMetrics', { description: 'On the held-out test rows.' })
export class ModelMetricsModel {
  @Field(() => Int) rows!: number;
  @Field(() => Int) positives!: number;
  @Field(() => Int) negatives!: number;
  @Field(() => Float, { nullable: true, description: 'ROC AUC.' }) auc!: number | null;
  @Field(() => Float, { description: 'Average precision (area under the precision-recall curve).' })
  prAuc!: number;
  @Field(() => Float) logLoss!: number;
  @Field(() => Float) brier!: number;
  @Field(() => Float, { description: 'The F1-best threshold on the probability.' })
  threshold!: number;
  @Field(() => Float) accuracy!: number;
  @Field(() => Float) precision!: number;
  @Field(() => Float) recall!: number;
  @Field(() => Float) f1!: number;
  @Field(() => ConfusionMatrixModel) confusion!: ConfusionMatrixModel;
  @Field(() => Float, {
    description: 'Conversion rate of the top 10% by score over the overall rate.',
  })
  liftTopDecile!: number;
}

@ObjectType('FeatureImportance')
export class FeatureImportanceModel {
  @Field(() => String) feature!: string;
  @Field(() => Float) importance!: number;
}

@ObjectType('SplitSummary')
export class SplitSummaryModel {
  @Field(() => String, { description: 'TIME (most recent 20% as test) or STRATIFIED.' })
  method!: string;
  @Field(() => Date, { nullable: true, description: 'TIME: the first test outcome time.' })
  cutoff!: Date | null;
  @Field(() => String) reason!: string;
  @Field(() => Int) trainRows!: number;
  @Field(() => Int) testRows!: number;
}

@ObjectType('MlModel')
export class MlModelModel {
  @Field(() => ID, { description: '"weighted-sum" for version 1.' }) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => MlModelType) type!: MlModelType;
  @Field(() => MlModelStatus) status!: MlModelStatus;
  @Field(() => GraphQLJSONObject) params!: Record<string, unknown>;
  @Field(() => TransformationModel, { nullable: true }) transformation!: TransformationModel | null;
  @Field(() => ID, { nullable: true }) datasetVersionId!: string | null;
  @Field(() => ID, { nullable: true }) trainingJobId!: string | null;
  @Field(() => Int, { nullable: true }) seed!: number | null;
  @Field(() => ModelMetricsModel, { nullable: true }) metrics!: ModelMetricsModel | null;
  @Field(() => SplitSummaryModel, { nullable: true }) split!: SplitSummaryModel | null;
  @Field(() => [FeatureImportanceModel], { description: 'Largest first (model inputs).' })
  featureImportance!: FeatureImportanceModel[];
  @Field(() => [String]) notes!: string[];
  @Field(() => String, { nullable: true }) failure!: string | null;
  @Field(() => ID, { nullable: true }) trainedBy!: string | null;
  @Field(() => Date, { nullable: true }) trainedAt!: Date | null;
  @Field(() => ID, { nullable: true }) deployedBy!: string | null;
  @Field(() => Date, { nullable: true }) deployedAt!: Date | null;
  @Field(() => Date, { nullable: true }) retiredAt!: Date | null;
}

@ObjectType('MlModelPage')
export class MlModelPageModel extends Paginated(MlModelModel) {}

@ObjectType('ModelPerformance')
export class ModelPerformanceModel {
  @Field(() => ID) modelId!: string;
  @Field(() => Int) version!: number;
  @Field(() => MlModelType) type!: MlModelType;
  @Field(() => ModelMetricsModel, { nullable: true, description: 'Null for the weighted sum.' })
  metrics!: ModelMetricsModel | null;
  @Field(() => [RocPointModel], { description: 'At most 200 points, for a plot.' })
  roc!: RocPointModel[];
  @Field(() => [CalibrationBinModel]) calibration!: CalibrationBinModel[];
  @Field(() => [FeatureImportanceModel]) featureImportance!: FeatureImportanceModel[];
  @Field(() => SplitSummaryModel, { nullable: true }) split!: SplitSummaryModel | null;
}

@ObjectType('ModelDeploymentResult')
export class ModelDeploymentResultModel {
  @Field(() => MlModelModel, { description: 'The model that scores the tenant now.' })
  deployed!: MlModelModel;

  @Field(() => ID, { nullable: true, description: 'The model it replaced.' })
  previousModelId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The batch job rescoring the open leads.' })
  rescoreJobId!: string | null;
}
