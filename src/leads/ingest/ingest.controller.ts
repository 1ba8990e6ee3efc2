import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';

import { Public } from '@/auth/decorators/public.decorator';

import { RecordInteractionsInput } from '../dto/lead.inputs';
import { LeadEngagementService } from '../lead-engagement.service';
import type { WebhookRequest } from './webhook-signature.guard';
import { WebhookSignatureGuard } from './webhook-signature.guard';

/** For systems that are not GraphQL clients: the same ingestion as recordInteractions, signed. */
@Controller('ingest')
export class IngestController {
  constructor(private readonly engagement: LeadEngagementService) {}

  @Public()
  @UseGuards(WebhookSignatureGuard)
  @Post('interactions')
  @HttpCode(200)
  record(@Req() req: WebhookRequest, @Body() body: RecordInteractionsInput) {
    return this.engagement.recordInteractions(req.webhookTenantId!, body.interactions);
  }
}
