import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { SubmitFeedbackInput } from '@/feedback/dto/feedback.inputs';
import { FeedbackRating, MAX_FEEDBACK_COMMENT } from '@/feedback/schemas/rep-feedback.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import { DATE_TIME, documentInherited } from './dto-helpers.util';

/** The body of feedback: `submitFeedback`'s input, validated by its rules. */
@ApiSchema({ name: 'FeedbackRequest' })
export class SubmitFeedbackBody extends SubmitFeedbackInput {}
documentInherited(SubmitFeedbackBody, {
  leadId: { type: String, minLength: 1, maxLength: 200, description: 'Your id for the lead.' },
  rating: { enum: FeedbackRating, enumName: 'FeedbackRating' },
  comment: { type: String, optional: true, maxLength: MAX_FEEDBACK_COMMENT },
});

@ApiSchema({ name: 'ShownScore', description: 'What the lead was shown as at that moment.' })
export class ShownScoreDto {
  @ApiProperty() score!: number;
  @ApiProperty({ enum: PriorityTier, enumName: 'PriorityTier' }) tier!: PriorityTier;
  @ApiProperty() modelId!: string;
  @ApiProperty({ type: 'integer' }) modelVersion!: number;
  @ApiProperty({ type: 'integer' }) configVersion!: number;
}

@ApiSchema({ name: 'PastRating' })
export class PastRatingDto {
  @ApiProperty({ enum: FeedbackRating, enumName: 'FeedbackRating' }) rating!: FeedbackRating;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({
    type: () => ShownScoreDto,
    nullable: true,
    description: 'Null when the lead had no score yet.',
  })
  shown!: ShownScoreDto | null;
  @ApiProperty(DATE_TIME) submittedAt!: Date;
}

@ApiSchema({
  name: 'Feedback',
  description: "A user's current rating of a lead's score (one per user and lead).",
})
export class FeedbackDto extends PastRatingDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Your id for the lead.' }) leadId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({
    type: () => [PastRatingDto],
    description: 'Earlier ratings by the same user, oldest first (the latest 50).',
  })
  history!: PastRatingDto[];
}
