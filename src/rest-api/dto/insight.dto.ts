import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { InsightSource, InsightStatus } from '@/ai/schemas/lead-insight.schema';

import { DATE_TIME, NULLABLE_DATE_TIME } from './dto-helpers.util';

@ApiSchema({ name: 'InsightUsage' })
export class InsightUsageDto {
  @ApiProperty({ type: 'integer' }) promptTokens!: number;
  @ApiProperty({ type: 'integer' }) completionTokens!: number;
  @ApiProperty({ type: 'integer' }) totalTokens!: number;
}

@ApiSchema({
  name: 'InsightContent',
  description: 'A short read of a lead for its rep, by OpenAI or the fallback.',
})
export class InsightContentDto {
  @ApiProperty() summary!: string;
  @ApiProperty() nextBestAction!: string;
  @ApiProperty({ type: [String] }) talkingPoints!: string[];
  @ApiProperty({ type: [String] }) risks!: string[];
  @ApiProperty({
    type: 'integer',
    description: "0–100: the writer's own estimate of fit, shown beside the model's score.",
  })
  fitEstimate!: number;
}

@ApiSchema({
  name: 'LeadInsight',
  description:
    "The lead's AI insight and its status: READY with `current: true` when it was written for the lead's current state; QUEUED or RUNNING while a newer one is written (the previous one, if any, stays in `insight`); FAILED.",
})
export class LeadInsightDto {
  @ApiProperty({ description: 'Your id for the lead.' }) leadId!: string;

  @ApiProperty({ enum: InsightStatus, enumName: 'InsightStatus' })
  status!: InsightStatus;

  @ApiProperty({ description: "True when `insight` was written for the lead's current state." })
  current!: boolean;

  @ApiProperty({ type: () => InsightContentDto, nullable: true })
  insight!: InsightContentDto | null;

  @ApiProperty({ enum: InsightSource, enumName: 'InsightSource', nullable: true })
  source!: InsightSource | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the fallback wrote it: no API key, breaker open, invalid answer, errors.',
  })
  fallbackReason!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The OpenAI model (null: fallback).' })
  model!: string | null;

  @ApiProperty({ type: () => InsightUsageDto, nullable: true })
  usage!: InsightUsageDto | null;

  @ApiProperty({ type: Number, nullable: true }) latencyMs!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The score it was written beside.' })
  score!: number | null;

  @ApiProperty(NULLABLE_DATE_TIME) generatedAt!: Date | null;
  @ApiProperty(DATE_TIME) requestedAt!: Date;
  @ApiProperty({ type: String, nullable: true }) failure!: string | null;
}
