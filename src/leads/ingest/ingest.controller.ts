import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '@/auth/decorators/public.decorator';
import { ApiUnversionedErrorResponses } from '@/common/openapi/api-errors.decorator';

import { RecordInteractionsInput } from '../dto/lead.inputs';
import { LeadEngagementService } from '../lead-engagement.service';
import { RecordInteractionsResultModel } from '../models/lead.model';
import type { WebhookRequest } from './webhook-signature.guard';
import { WebhookSignatureGuard } from './webhook-signature.guard';

/** For systems that are not GraphQL clients: the same ingestion as recordInteractions, signed. */
@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(private readonly engagement: LeadEngagementService) {}

  @Public()
  @UseGuards(WebhookSignatureGuard)
  @Post('interactions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record interactions pushed by another system (signed webhook, no token)',
    description:
      'The same ingestion as GraphQL `recordInteractions`: each idempotency key counts once, the leads concerned are rescored at once (or, with `"acknowledge": "LOGGED"`, moments after the answer, which comes once the events are stored). Signed with the tenant\'s webhook secret (GraphQL `rotateWebhookSecret`): `x-webhook-signature` is `sha256=` and the hex HMAC-SHA256 of `<x-webhook-timestamp>.<raw body>`; deliveries outside a 300 s window are refused.',
  })
  @ApiHeader({ name: 'x-tenant-id', required: true, description: 'Your tenant id.' })
  @ApiHeader({
    name: 'x-webhook-timestamp',
    required: true,
    description: 'Unix time in seconds when the delivery was signed.',
  })
  @ApiHeader({
    name: 'x-webhook-signature',
    required: true,
    description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under the webhook secret>.',
  })
  @ApiOkResponse({ type: RecordInteractionsResultModel })
  @ApiUnversionedErrorResponses(400, 401, 413, 429, 503)
  record(@Req() req: WebhookRequest, @Body() body: RecordInteractionsInput) {
    return this.engagement.recordInteractions(req.webhookTenantId!, body.interactions, {
      acknowledge: body.acknowledge,
    });
  }
}
