import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { Inject, Injectable } from '@nestjs/common';

import { withTimeout } from '@/common/utils/with-timeout.util';

import { WebhooksException } from './webhooks.exception';
import { hostOf, refusedRange, webhookUrlProblem } from './webhook-url.util';
import type { UrlPolicy } from './webhook-url.util';

/** The compiled SSRF rules of this deployment (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOWED_PRIVATE_HOSTS). */
export const WEBHOOK_URL_POLICY = Symbol('WEBHOOK_URL_POLICY');

const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * Checks a webhook URL when an admin sets it: the URL itself (webhookUrlProblem), then the name
 * resolved now, so a URL naming an internal host is refused at once rather than at its first
 * delivery. Deliveries check again where they connect (DNS answers change).
 */
@Injectable()
export class WebhookTargets {
  constructor(@Inject(WEBHOOK_URL_POLICY) private readonly policy: UrlPolicy) {}

  async check(field: string, url: string): Promise<string> {
    const problem = webhookUrlProblem(url, this.policy);
    if (problem) throw WebhooksException.badUrl(field, problem);
    const parsed = new URL(url);
    const host = hostOf(parsed);
    if (isIP(host) !== 0 || this.policy.hosts.has(host)) return parsed.href;
    let addresses: { address: string }[];
    try {
      addresses = await withTimeout(
        lookup(host, { all: true }),
        RESOLVE_TIMEOUT_MS,
        'DNS lookup timed out',
      );
    } catch {
      throw WebhooksException.badUrl(field, `names a host that does not resolve (${host})`);
    }
    for (const { address } of addresses) {
      const range = refusedRange(address, this.policy, host);
      if (range)
        throw WebhooksException.badUrl(
          field,
          `must not point at a non-public address (${host} resolves to ${address}: ${range})`,
        );
    }
    return parsed.href;
  }
}
