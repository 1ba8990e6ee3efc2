import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';

import { TrainableModelType, TrainModelInput } from '@/training/dto/training.inputs';
import { TrainingJobStatus, TrainingStage } from '@/training/schemas/training-job.schema';

import { DATE_TIME, documentInherited, NULLABLE_DATE_TIME } from './dto-helpers.util';

const STRINGS = { type: 'array', items: { type: 'string' } } as const;

/** The body of train-model: `trainModel`'s input, validated by its rules. */
@ApiSchema({
  name: 'TrainModelRequest',
  description:
    'Trains a model on a dataset version (GraphQL `createDatasetVersion`, or the dashboard, makes one).',
})
export class TrainModelBody extends TrainModelInput {}
documentInherited(TrainModelBody, {
  datasetVersionId: { type: String, description: 'A dataset version of your tenant.' },
  modelType: { enum: TrainableModelType, enumName: 'TrainableModelType' },
  params: {
    type: 'object',
    additionalProperties: true,
    optional: true,
    description:
      'LOGISTIC_REGRESSION: l2, maxIterations, tolerance, classWeight (NONE|BALANCED), solver. GRADIENT_BOOSTING: learningRate, maxIterations, maxLeafNodes, maxDepth, minSamplesLeaf, l2Regularization, maxBins, earlyStopping (AUTO|ON|OFF), validationFraction, nIterNoChange, tolerance, seed. NAIVE_BAYES: alpha, bins. Defaults for the rest.',
    example: { l2: 1, maxIterations: 200 },
  },
  transformation: {
    type: 'object',
    optional: true,
    description: "How raw features become model inputs; default: the dataset version's.",
    properties: {
      features: { ...STRINGS, description: 'The raw features used; absent: all but TEXT.' },
      exclude: STRINGS,
      numeric: {
        type: 'object',
        properties: {
          fill: { type: 'string', enum: ['MEDIAN', 'MEAN', 'ZERO'] },
          missingIndicator: { type: 'boolean' },
          log1p: STRINGS,
          standardize: { type: 'boolean' },
        },
      },
      categorical: {
        type: 'object',
        properties: { minFrequency: { type: 'integer' }, maxLevels: { type: 'integer' } },
      },
    },
  },
  seed: {
    type: 'integer',
    optional: true,
    default: 42,
    minimum: 0,
    maximum: 2_147_483_647,
    description: 'The same seed, data and params give the same model.',
  },
});

export class TrainingJobIdParam {
  @ApiProperty({ description: 'The id train-model answered.', example: '65f1c0ffee0123456789abcd' })
  @IsMongoId({ message: 'jobId must be a training job id' })
  jobId!: string;
}

@ApiSchema({
  name: 'TrainingJob',
  description:
    'A training job on the `training` queue: stage and progress, then the model it registered.',
})
export class TrainingJobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: TrainingJobStatus, enumName: 'TrainingJobStatus' })
  status!: TrainingJobStatus;
  @ApiProperty({ enum: TrainingStage, enumName: 'TrainingStage' }) stage!: TrainingStage;
  @ApiProperty({ description: '0 to 1.' }) progress!: number;
  @ApiProperty({ type: 'integer', description: 'Fitting: iterations (trees) done.' })
  iteration!: number;
  @ApiProperty({ type: 'integer' }) maxIterations!: number;
  @ApiProperty() datasetVersionId!: string;
  @ApiProperty() modelType!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) params!: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) seed!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The model version it registers.' })
  modelId!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Test AUC of that model.' })
  auc!: number | null;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty() cancelRequested!: boolean;
  @ApiProperty({ type: String, nullable: true }) failure!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty(DATE_TIME) createdAt!: Date;
  @ApiProperty(NULLABLE_DATE_TIME) startedAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) finishedAt!: Date | null;
}
