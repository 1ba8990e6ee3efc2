import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';

import { PageQuery } from '@/common/openapi/page.query';
import { MlModelStatus, MlModelType } from '@/ml-models/schemas/ml-model.schema';

import { NULLABLE_DATE_TIME } from './dto-helpers.util';

const NULLABLE_STRING = { type: String, nullable: true } as const;
const NULLABLE_NUMBER = { type: Number, nullable: true } as const;

export class MlModelsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MlModelStatus, enumName: 'MlModelStatus' })
  @IsOptional()
  @IsEnum(MlModelStatus)
  status?: MlModelStatus;

  @ApiPropertyOptional({ enum: MlModelType, enumName: 'MlModelType' })
  @IsOptional()
  @IsEnum(MlModelType)
  type?: MlModelType;
}

export class MlModelIdParam {
  @ApiProperty({
    description: '"weighted-sum" (version 1) or a trained model\'s id.',
    example: 'weighted-sum',
    minLength: 1,
    maxLength: 100,
  })
  @IsString()
  @Length(1, 100)
  id!: string;
}

@ApiSchema({ name: 'NumericTransformation' })
class NumericTransformationDto {
  @ApiProperty({ enum: ['MEDIAN', 'MEAN', 'ZERO'] }) fill!: string;
  @ApiProperty() missingIndicator!: boolean;
  @ApiProperty({ type: [String] }) log1p!: string[];
  @ApiProperty() standardize!: boolean;
}

@ApiSchema({ name: 'CategoricalTransformation' })
class CategoricalTransformationDto {
  @ApiProperty({ type: 'integer' }) minFrequency!: number;
  @ApiProperty({ type: 'integer' }) maxLevels!: number;
}

@ApiSchema({ name: 'Transformation', description: 'Lead → model inputs, every field filled in.' })
export class TransformationDto {
  @ApiProperty({ type: [String], nullable: true, description: 'Null: every feature not TEXT.' })
  features!: string[] | null;
  @ApiProperty({ type: [String] }) exclude!: string[];
  @ApiProperty({ type: () => NumericTransformationDto }) numeric!: NumericTransformationDto;
  @ApiProperty({ type: () => CategoricalTransformationDto })
  categorical!: CategoricalTransformationDto;
}

@ApiSchema({ name: 'ConfusionMatrix' })
class ConfusionMatrixDto {
  @ApiProperty({ type: 'integer' }) tp!: number;
  @ApiProperty({ type: 'integer' }) fp!: number;
  @ApiProperty({ type: 'integer' }) tn!: number;
  @ApiProperty({ type: 'integer' }) fn!: number;
}

@ApiSchema({ name: 'ModelMetrics', description: 'On the held-out test rows.' })
export class ModelMetricsDto {
  @ApiProperty({ type: 'integer' }) rows!: number;
  @ApiProperty({ type: 'integer' }) positives!: number;
  @ApiProperty({ type: 'integer' }) negatives!: number;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'ROC AUC.' }) auc!: number | null;
  @ApiProperty({ description: 'Average precision.' }) prAuc!: number;
  @ApiProperty() logLoss!: number;
  @ApiProperty() brier!: number;
  @ApiProperty({ description: 'The F1-best threshold on the probability.' }) threshold!: number;
  @ApiProperty() accuracy!: number;
  @ApiProperty() precision!: number;
  @ApiProperty() recall!: number;
  @ApiProperty() f1!: number;
  @ApiProperty({ type: () => ConfusionMatrixDto }) confusion!: ConfusionMatrixDto;
  @ApiProperty({ description: 'Conversion rate of the top 10% by score over the overall rate.' })
  liftTopDecile!: number;
}

@ApiSchema({ name: 'SplitSummary' })
export class SplitSummaryDto {
  @ApiProperty({ description: 'TIME (most recent 20% as test) or STRATIFIED.' }) method!: string;
  @ApiProperty(NULLABLE_DATE_TIME) cutoff!: Date | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: 'integer' }) trainRows!: number;
  @ApiProperty({ type: 'integer' }) testRows!: number;
}

@ApiSchema({ name: 'FeatureImportance' })
export class FeatureImportanceDto {
  @ApiProperty() feature!: string;
  @ApiProperty() importance!: number;
}

@ApiSchema({
  name: 'MlModel',
  description: 'A version of the tenant’s scoring model; version 1 is the weighted sum.',
})
export class MlModelDto {
  @ApiProperty({ description: '"weighted-sum" for version 1.' }) id!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: MlModelType, enumName: 'MlModelType' }) type!: MlModelType;
  @ApiProperty({
    enum: MlModelStatus,
    enumName: 'MlModelStatus',
    description: 'TRAINING → READY (or FAILED) → DEPLOYED → RETIRED when another replaces it.',
  })
  status!: MlModelStatus;
  @ApiProperty({ type: 'object', additionalProperties: true }) params!: Record<string, unknown>;
  @ApiProperty({ type: () => TransformationDto, nullable: true })
  transformation!: TransformationDto | null;
  @ApiProperty(NULLABLE_STRING) datasetVersionId!: string | null;
  @ApiProperty(NULLABLE_STRING) trainingJobId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) seed!: number | null;
  @ApiProperty({ type: () => ModelMetricsDto, nullable: true }) metrics!: ModelMetricsDto | null;
  @ApiProperty({ type: () => SplitSummaryDto, nullable: true }) split!: SplitSummaryDto | null;
  @ApiProperty({ type: () => [FeatureImportanceDto], description: 'Largest first.' })
  featureImportance!: FeatureImportanceDto[];
  @ApiProperty({ type: [String] }) notes!: string[];
  @ApiProperty(NULLABLE_STRING) failure!: string | null;
  @ApiProperty(NULLABLE_STRING) trainedBy!: string | null;
  @ApiProperty(NULLABLE_DATE_TIME) trainedAt!: Date | null;
  @ApiProperty(NULLABLE_STRING) deployedBy!: string | null;
  @ApiProperty(NULLABLE_DATE_TIME) deployedAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) retiredAt!: Date | null;
}

@ApiSchema({ name: 'MlModelPage', description: 'Newest version first.' })
export class MlModelPageDto {
  @ApiProperty({ type: () => [MlModelDto] }) items!: MlModelDto[];
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) totalPages!: number;
}
