import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>` of `<timestamp>.<raw body>` under the tenant's secret (Stripe-style). */
export function signWebhook(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
