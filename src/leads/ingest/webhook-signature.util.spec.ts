import { createHmac } from 'node:crypto';

import { signaturesMatch, signWebhook } from './webhook-signature.util';

describe('signWebhook', () => {
  it('is the HMAC-SHA256 of "<timestamp>.<body>" in hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', 'whsec_test').update('1700000000.{"a":1}').digest('hex');

    expect(signWebhook('whsec_test', 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
    expect(signWebhook('whsec_test', 1700000000, Buffer.from('{"a":1}'))).toBe(
      `sha256=${expected}`,
    );
  });

  it('changes with the secret, the timestamp and the body', () => {
    const base = signWebhook('s', 1, 'x');
    expect(signWebhook('t', 1, 'x')).not.toBe(base);
    expect(signWebhook('s', 2, 'x')).not.toBe(base);
    expect(signWebhook('s', 1, 'y')).not.toBe(base);
  });
});

describe('signaturesMatch', () => {
  it('compares in constant time and refuses different lengths', () => {
    expect(signaturesMatch('sha256=abc', 'sha256=abc')).toBe(true);
    expect(signaturesMatch('sha256=abc', 'sha256=abd')).toBe(false);
    expect(signaturesMatch('sha256=abc', 'sha256=ab')).toBe(false);
  });
});
