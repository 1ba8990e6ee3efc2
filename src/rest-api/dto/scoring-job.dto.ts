import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { ScoringJobStatus } from '@/scoring/schemas/scoring-job.schema';

import { DATE_TIME, NULLABLE_DATE_TIME } from './dto-helpers.util';

@ApiSchema({
  name: 'ScoringJob',
  description:
    'A batch rescoring job on the `scoring` queue (GraphQL: `scoringJob(jobId)` and `batchScoringProgress` follow it).',
})
export class ScoringJobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ScoringJobStatus, enumName: 'ScoringJobStatus' }) status!: ScoringJobStatus;
  @ApiProperty({ enum: ScoreChangeReason, enumName: 'ScoreChangeReason' })
  reason!: ScoreChangeReason;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) processed!: number;
  @ApiProperty({ type: 'integer', description: 'Leads whose score changed.' }) changed!: number;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty(DATE_TIME) createdAt!: Date;
  @ApiProperty(NULLABLE_DATE_TIME) startedAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) finishedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}
