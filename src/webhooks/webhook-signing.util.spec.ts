import { createHmac } from 'node:crypto';

import { signatureHeader, verifyWebhookSignature } from './webhook-signing.util';

const body = '{"id":"evt_1","type":"lead.score_changed"}';
const hmac = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('hex');

describe('signatureHeader', () => {
  it('is sha256=<hex HMAC of "<timestamp>.<body>"> per secret, the current one first', () => {
    expect(signatureHeader(['whsec_new'], 1_700_000_000, body)).toBe(
      `sha256=${hmac('whsec_new', `1700000000.${body}`)}`,
    );
    expect(signatureHeader(['whsec_new', 'whsec_old'], 1_700_000_000, body)).toBe(
      `sha256=${hmac('whsec_new', `1700000000.${body}`)},sha256=${hmac('whsec_old', `1700000000.${body}`)}`,
    );
  });
});

describe('verifyWebhookSignature', () => {
  const now = 1_700_000_100_000;
  const signed = (secrets: string[], timestamp = 1_700_000_000) => ({
    signature: signatureHeader(secrets, timestamp, body),
    timestamp: String(timestamp),
    body,
    now,
  });

  it('accepts the signature made with its secret, alone or beside another', () => {
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']) })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'b', ...signed(['a', 'b']) })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']), body: Buffer.from(body) })).toBe(
      true,
    );
  });

  it('refuses another secret, a changed body or timestamp, and a missing header', () => {
    expect(verifyWebhookSignature({ secret: 'c', ...signed(['a', 'b']) })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']), body: `${body} ` })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']), timestamp: '1700000001' })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']), signature: undefined })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']), timestamp: 'soon' })).toBe(
      false,
    );
  });

  it('refuses a timestamp outside the tolerance (replays)', () => {
    // now is 100 s after the timestamp: inside 300 s, outside 60 s.
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']) })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'a', ...signed(['a']), toleranceSeconds: 60 })).toBe(
      false,
    );
  });
});
