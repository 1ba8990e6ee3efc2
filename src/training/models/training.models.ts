import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Paginated } from '@/common/graphql/paginated.model';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';

import { TrainingJobStatus, TrainingStage } from '../schemas/training-job.schema';

registerEnumType(TrainingJobStatus, { name: 'TrainingJobStatus' });
registerEnumType(TrainingStage, { name: 'TrainingStage' });

@ObjectType('TrainingJob')
export class TrainingJobModel {
  @Field(() => ID) id!: string;
  @Field(() => TrainingJobStatus) status!: TrainingJobStatus;
  @Field(() => TrainingStage) stage!: TrainingStage;
  @Field(() => Float, { description: '0 to 1.' }) progress!: number;
  @Field(() => Int, { description: 'Fitting: iterations (trees) done.' }) iteration!: number;
  @Field(() => Int) maxIterations!: number;
  @Field(() => ID) datasetVersionId!: string;
  @Field(() => String) modelType!: string;
  @Field(() => GraphQLJSONObject) params!: Record<string, unknown>;
  @Field(() => Int) seed!: number;
  @Field(() => ID, { nullable: true, description: 'The model version it registers.' }) modelId!:
    string | null;
  @Field(() => Float, { nullable: true, description: 'Test AUC of that model.' }) auc!:
    number | null;
  @Field(() => Int) attempts!: number;
  @Field(() => Boolean) cancelRequested!: boolean;
  @Field(() => String, { nullable: true }) failure!: string | null;
  @Field(() => ID) requestedBy!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType('TrainingJobPage')
export class TrainingJobPageModel extends Paginated(TrainingJobModel) {}

@ObjectType('TrainingSettings')
export class TrainingSettingsModel {
  @Field(() => Int) minConverted!: number;
  @Field(() => Int) minLost!: number;
  @Field(() => Boolean, { description: 'False: the deployment default (TRAINING_MIN_PER_CLASS).' })
  custom!: boolean;
}
