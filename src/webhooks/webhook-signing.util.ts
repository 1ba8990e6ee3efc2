import { signaturesMatch, signWebhook } from '@/leads/ingest/webhook-signature.util';

/**
 * Outbound deliveries are signed as inbound ones are (POST /ingest/interactions): the same header
 * names, `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` under the subscription's secret,
 * the timestamp in Unix seconds. While a rotated secret's grace period runs, the header carries
 * one signature per secret, the new one first, comma-separated (as Stripe does).
 */
export const WEBHOOK_HEADERS = {
  signature: 'x-webhook-signature',
  timestamp: 'x-webhook-timestamp',
  /** The payload's `type`. */
  event: 'x-webhook-event',
  /** The payload's `id`: the same for every delivery and retry of one event to one endpoint. */
  eventId: 'x-webhook-id',
  /** The delivery log entry (`webhookDeliveries`). */
  delivery: 'x-webhook-delivery',
  /** 1 for the first attempt of a delivery, 2 for its first retry, … */
  attempt: 'x-webhook-attempt',
} as const;

/** Receivers should refuse a timestamp further than this from their clock (replays). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The signature header's value: one `sha256=<hex>` per secret, comma-separated. */
export function signatureHeader(
  secrets: readonly string[],
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => signWebhook(secret, timestamp, body)).join(',');
}

/**
 * What a receiver does with a delivery: accepts it when the timestamp is within `toleranceSeconds`
 * of `now` and one of the header's signatures is the HMAC of `<timestamp>.<raw body>` under its
 * secret (compared in constant time). `body` must be the raw bytes received, not re-serialized JSON.
 */
export function verifyWebhookSignature({
  secret,
  signature,
  timestamp,
  body,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  now = Date.now(),
}: {
  secret: string;
  signature: string | undefined;
  timestamp: string | number | undefined;
  body: string | Buffer;
  toleranceSeconds?: number;
  now?: number;
}): boolean {
  const seconds = Number(timestamp);
  if (!signature || !Number.isInteger(seconds)) return false;
  if (Math.abs(now / 1000 - seconds) > toleranceSeconds) return false;
  const expected = signWebhook(secret, seconds, body);
  return signature
    .split(',')
    .map((part) => part.trim())
    .some((candidate) => signaturesMatch(expected, candidate));
}
