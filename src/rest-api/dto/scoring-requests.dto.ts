import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';

import { toBool, toInt } from '@/common/validation/query-transforms';
import { LEAD_STATUSES, RescoreLeadsFilter } from '@/scoring/dto/rescore-leads.input';
import { OVERRIDE_REASON_MAX } from '@/scoring/override/score-override.util';

import { documentInherited, NULLABLE_DATE_TIME } from './dto-helpers.util';

/** At most this many leads per batch-score call. */
export const MAX_BATCH_SCORE = 100;
const LEAD_ID = { description: 'Your id for the lead.', example: 'CRM-1042' } as const;

export class LeadIdParam {
  @ApiProperty({ ...LEAD_ID, minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  leadId!: string;
}

@ApiSchema({ name: 'ScoreLeadRequest' })
export class ScoreLeadBody {
  @ApiProperty({ ...LEAD_ID, minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  leadId!: string;

  @ApiPropertyOptional({
    default: true,
    description:
      'Also ask for its AI insight: answered at once, READY when the stored one is current, else QUEUED (written by a worker; ask again to read it).',
  })
  @IsOptional()
  @IsBoolean()
  includeInsight: boolean = true;
}

@ApiSchema({ name: 'BatchScoreRequest' })
export class BatchScoreBody {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_BATCH_SCORE,
    description: `1 to ${MAX_BATCH_SCORE} of your lead ids; repeats count once.`,
    example: ['CRM-1042', 'CRM-1043'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SCORE)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  leadIds!: string[];
}

export class LeadScoreQuery {
  @ApiPropertyOptional({
    default: false,
    description: 'Recompute the score first if it is stale (as score-lead does).',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  refresh: boolean = false;
}

export class ScoreHistoryQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

/** The filter of `rescoreLeads`, validated by its rules. */
@ApiSchema({
  name: 'RefreshScoresRequest',
  description: 'Which leads to rescore; all of the tenant when empty.',
})
export class RefreshScoresBody extends RescoreLeadsFilter {}
documentInherited(RefreshScoresBody, {
  minScore: { type: Number, optional: true, minimum: 0, maximum: 100 },
  ownerId: { type: String, optional: true, description: 'Leads of this owner (a user id).' },
  status: { type: String, optional: true, enum: LEAD_STATUSES },
});

@ApiSchema({ name: 'OverrideScoreRequest' })
export class OverrideScoreBody {
  @ApiProperty({ description: 'The shown score, 0 to 100.', minimum: 0, maximum: 100, example: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score!: number;

  @ApiProperty({
    description: `Why (1 to ${OVERRIDE_REASON_MAX} characters).`,
    minLength: 1,
    maxLength: OVERRIDE_REASON_MAX,
    example: 'Asked for a quote on the phone',
  })
  @IsString()
  @Length(1, OVERRIDE_REASON_MAX)
  reason!: string;

  @ApiPropertyOptional({
    ...NULLABLE_DATE_TIME,
    description: 'In the future; absent or null: until cleared.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date | null;
}
