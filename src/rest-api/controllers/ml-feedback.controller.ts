import { Body, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { ApiErrorResponses } from '@/common/openapi/api-errors.decorator';
import { RepFeedbackService, toFeedbackModel } from '@/feedback/rep-feedback.service';

import { FeedbackDto, SubmitFeedbackBody } from '../dto/feedback.dto';
import { toFeedback } from '../mappers/ml.mapper';
import { V1Controller } from '../v1-controller.decorator';

@V1Controller('ml', 'ml')
export class MlFeedbackController {
  constructor(private readonly feedback: RepFeedbackService) {}

  @Post('feedback')
  @ApiOperation({
    summary: "Rate a lead's current score (too high, about right, too low)",
    description:
      'As GraphQL `submitFeedback`: one current rating per user and lead (a new one replaces it; earlier ones are kept in `history`), with the score shown at that moment. Reps rate their own leads only (403 for another rep’s).',
  })
  @ApiCreatedResponse({ type: FeedbackDto })
  @ApiErrorResponses(400, 403, 404, 413)
  async submit(@CurrentUser() user: AuthUser, @Body() body: SubmitFeedbackBody) {
    return toFeedback(toFeedbackModel(await this.feedback.submit(user, body)));
  }
}
