import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

import { Paginated } from '@/common/graphql/paginated.model';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';

import {
  ModelDecisionOutcome,
  ModelDecisionStatus,
  RetrainingStage,
  RetrainingTrigger,
} from '../schemas/model-lifecycle.schema';

@ObjectType('PromotionRule')
export class PromotionRuleModel {
  @Field(() => Float) maxAucDrop!: number;
  @Field(() => Float) maxBrierIncrease!: number;
  @Field(() => Int) maxChampionAgeDays!: number;
}

@ObjectType('ModelLifecycle')
export class ModelLifecycleModel {
  @Field(() => Boolean) retrainingEnabled!: boolean;
  @Field(() => Int) cadenceDays!: number;
  @Field(() => String) modelType!: string;
  @Field(() => GraphQLJSONObject) params!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { nullable: true }) transformation!: Record<
    string,
    unknown
  > | null;
  @Field(() => PromotionRuleModel) promotion!: PromotionRuleModel;
  @Field(() => Float) driftThreshold!: number;
  @Field(() => Boolean) retrainOnDrift!: boolean;
  @Field(() => Int) minConverted!: number;
  @Field(() => Int) minLost!: number;
  @Field(() => Date, { nullable: true, description: 'When the next scheduled retraining is due.' })
  nextRunAt!: Date | null;
  @Field(() => Boolean, { description: 'False: the defaults, never changed.' }) custom!: boolean;
  @Field(() => ID, { nullable: true }) updatedBy!: string | null;
  @Field(() => Date, { nullable: true }) updatedAt!: Date | null;
}

@ObjectType('TrainingReadiness')
export class TrainingReadinessModel {
  @Field(() => Int, { description: 'Closed leads with a current CONVERTED outcome.' })
  converted!: number;
  @Field(() => Int, { description: 'Closed leads with a current LOST outcome.' }) lost!: number;
  @Field(() => Int) minConverted!: number;
  @Field(() => Int) minLost!: number;
  @Field(() => Int, { description: 'How many more converted leads a model needs (0: enough).' })
  neededConverted!: number;
  @Field(() => Int) neededLost!: number;
  @Field(() => Boolean) ready!: boolean;
  @Field(() => ID, { description: 'The model scoring leads now ("weighted-sum" until one is).' })
  deployedModelId!: string;
  @Field(() => String) deployedModelType!: string;
  @Field(() => Int) deployedModelVersion!: number;
}

@ObjectType('DecisionFigures')
export class DecisionFiguresModel {
  @Field(() => Float, { nullable: true }) auc!: number | null;
  @Field(() => Float, { nullable: true }) prAuc!: number | null;
  @Field(() => Float, { nullable: true }) logLoss!: number | null;
  @Field(() => Float, { nullable: true }) brier!: number | null;
}

@ObjectType('ModelDecision')
export class ModelDecisionModel {
  @Field(() => ID) id!: string;
  @Field(() => RetrainingTrigger) trigger!: RetrainingTrigger;
  @Field(() => ModelDecisionStatus) status!: ModelDecisionStatus;
  @Field(() => RetrainingStage) stage!: RetrainingStage;
  @Field(() => ModelDecisionOutcome, { nullable: true }) outcome!: ModelDecisionOutcome | null;
  @Field(() => ID, { nullable: true }) datasetVersionId!: string | null;
  @Field(() => ID, { nullable: true }) trainingJobId!: string | null;
  @Field(() => ID, { nullable: true }) championId!: string | null;
  @Field(() => ID, { nullable: true }) challengerId!: string | null;
  @Field(() => DecisionFiguresModel, {
    nullable: true,
    description: 'The champion on the same test rows as the challenger.',
  })
  champion!: DecisionFiguresModel | null;
  @Field(() => DecisionFiguresModel, { nullable: true }) challenger!: DecisionFiguresModel | null;
  @Field(() => Int, { nullable: true }) testRows!: number | null;
  @Field(() => Int, { nullable: true }) converted!: number | null;
  @Field(() => Int, { nullable: true }) lost!: number | null;
  @Field(() => Int, { nullable: true }) minConverted!: number | null;
  @Field(() => Int, { nullable: true }) minLost!: number | null;
  @Field(() => PromotionRuleModel, { nullable: true }) rule!: PromotionRuleModel | null;
  @Field(() => [String], { description: 'Why, in words.' }) reasons!: string[];
  @Field(() => ID, { nullable: true, description: 'The rescoring a promotion started.' })
  rescoreJobId!: string | null;
  @Field(() => String, { nullable: true }) failure!: string | null;
  @Field(() => ID, { nullable: true }) requestedBy!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
}

@ObjectType('ModelDecisionPage')
export class ModelDecisionPageModel extends Paginated(ModelDecisionModel) {}
