import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import { TenantsService } from '@/auth/tenants.service';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

import { signaturesMatch, signWebhook } from './webhook-signature.util';

export const REPLAY_WINDOW_SECONDS = 300;

export type WebhookRequest = Request & { rawBody?: Buffer; webhookTenantId?: string };

function refuse(message: string): AppException {
  return new AppException(ErrorCode.UNAUTHENTICATED, message);
}

/**
 * Accepts a delivery only when `x-webhook-signature` is the HMAC-SHA256 of
 * `<x-webhook-timestamp>.<raw body>` under the tenant's secret and the timestamp is within the
 * replay window. Duplicates inside the window are harmless: idempotency keys count each event once.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(private readonly tenants: TenantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WebhookRequest>();
    const tenantId = req.header('x-tenant-id');
    const timestamp = Number(req.header('x-webhook-timestamp'));
    const signature = req.header('x-webhook-signature');
    if (!tenantId || !signature || !Number.isInteger(timestamp)) {
      throw refuse(
        'signed delivery required: x-tenant-id, x-webhook-timestamp and x-webhook-signature',
      );
    }
    if (Math.abs(Date.now() / 1000 - timestamp) > REPLAY_WINDOW_SECONDS) {
      throw refuse(`x-webhook-timestamp is outside the ${REPLAY_WINDOW_SECONDS} s replay window`);
    }
    const secret = await this.tenants.webhookSecretOf(tenantId);
    // An unknown tenant and a wrong signature get the same answer.
    if (
      !secret ||
      !req.rawBody ||
      !signaturesMatch(signWebhook(secret, timestamp, req.rawBody), signature)
    ) {
      throw refuse('invalid webhook signature');
    }
    req.webhookTenantId = tenantId;
    return true;
  }
}
