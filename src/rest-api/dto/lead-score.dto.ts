import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import {
  EngagementModel,
  ScoreBreakdownModel,
  ScoreOverrideModel,
} from '@/leads/models/lead.model';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';
import { ScoreTrend } from '@/scoring/trend/score-trend.util';

import { DATE_TIME } from './dto-helpers.util';
import { LeadInsightDto } from './insight.dto';

export const DEGRADED_REASONS = ['REFRESH_TIMEOUT', 'REFRESH_FAILED'] as const;

@ApiSchema({ name: 'ModelRef', description: 'The model that computed a score.' })
export class ModelRefDto {
  @ApiProperty({ description: '"weighted-sum" (version 1) or a trained model\'s id.' })
  id!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  version!: number;

  @ApiProperty({ example: 'WEIGHTED_SUM', description: 'WEIGHTED_SUM or the trained model type.' })
  type!: string;
}

@ApiSchema({
  name: 'LeadScore',
  description:
    "A lead's score with its explanation: `breakdown.terms` for the weighted sum, `breakdown.factors` for a trained model.",
})
export class LeadScoreDto {
  @ApiProperty({ description: 'The lead in this API (derived from your leadId).' })
  id!: string;

  @ApiProperty({ description: 'Your id for the lead.', example: 'CRM-1042' })
  leadId!: string;

  @ApiProperty({ type: String, nullable: true }) name!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The rep who owns it.' })
  ownerId!: string | null;

  @ApiProperty({ example: 'WORKING' }) status!: string;

  @ApiProperty({
    description: "0 to 100: the override while one lasts, else the model's score.",
    example: 47.5,
  })
  score!: number;

  @ApiProperty({
    enum: PriorityTier,
    enumName: 'PriorityTier',
    description: 'The tier of the shown score.',
  })
  tier!: PriorityTier;

  @ApiProperty({
    description: "The model's score (the breakdown's), computed beneath an override too.",
    example: 47.5,
  })
  modelScore!: number;

  @ApiProperty({
    type: () => ScoreOverrideModel,
    nullable: true,
    description: "Null, or the manager's score shown instead of the model's.",
  })
  override!: ScoreOverrideModel | null;

  @ApiProperty({
    enum: ScoreTrend,
    enumName: 'ScoreTrend',
    description:
      'The model score\'s move over SCORE_TREND_WINDOW_DAYS (README "Score trend"): IMPROVING, STEADY, DECLINING, or NOT_ENOUGH_DATA for a lead first scored inside the window.',
  })
  trend!: ScoreTrend;

  @ApiProperty({ description: 'Computed longer than SCORE_FRESHNESS_MINUTES ago.' })
  isStale!: boolean;

  @ApiProperty({
    enum: DEGRADED_REASONS,
    nullable: true,
    description:
      'Null, or why the cached score is served where a fresh one was asked for: the recomputation took longer than SCORING_REFRESH_BUDGET_MS (it carries on) or failed.',
  })
  degraded!: (typeof DEGRADED_REASONS)[number] | null;

  @ApiProperty({ type: () => ModelRefDto }) model!: ModelRefDto;
  @ApiProperty({ type: () => ScoreBreakdownModel }) breakdown!: ScoreBreakdownModel;
  @ApiProperty({ type: () => EngagementModel }) engagement!: EngagementModel;
}

@ApiSchema({ name: 'ScoreLeadResult' })
export class ScoreLeadResultDto extends LeadScoreDto {
  @ApiProperty({
    type: () => LeadInsightDto,
    nullable: true,
    description:
      'The insight, or its status when it is being written; null with includeInsight false.',
  })
  insight!: LeadInsightDto | null;
}

@ApiSchema({ name: 'BatchScoreResult' })
export class BatchScoreResultDto {
  @ApiProperty({ type: () => [LeadScoreDto], description: 'In the order asked, each lead once.' })
  scored!: LeadScoreDto[];

  @ApiProperty({
    type: [String],
    description:
      'Lead ids with no lead in your tenant (for reps: none of their own), in the order asked.',
  })
  notFound!: string[];
}

@ApiSchema({ name: 'ScoreHistoryEntry' })
export class ScoreHistoryEntryDto {
  @ApiProperty() score!: number;
  @ApiProperty({ type: Number, nullable: true }) previousScore!: number | null;
  @ApiProperty({ enum: ScoreChangeReason, enumName: 'ScoreChangeReason' })
  reason!: ScoreChangeReason;
  @ApiProperty({ type: 'integer' }) configVersion!: number;
  @ApiProperty({ type: 'integer' }) modelVersion!: number;
  @ApiProperty(DATE_TIME) at!: Date;
}

@ApiSchema({ name: 'ScoreHistory' })
export class ScoreHistoryDto {
  @ApiProperty() leadId!: string;

  @ApiProperty({
    type: () => [ScoreHistoryEntryDto],
    description:
      'Newest first: an entry whenever the score moved a point or more, or the model changed.',
  })
  entries!: ScoreHistoryEntryDto[];
}
