import { problemsOf } from '@test/utils/config';

import { loadConfig } from './load-config';
import { normalizeAllowedHost } from './webhook-hosts';

describe('webhook configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}).webhooks).toEqual({
      allowHttp: true,
      allowedPrivateHosts: [],
      timeoutMs: 10_000,
      retryBaseDelayMs: 30_000,
      retryMaxDelayMs: 3_600_000,
      retryWindowMs: 86_400_000,
      concurrency: 10,
      deliveryRetentionDays: 30,
      autoPauseAfterDeadLetters: 10,
    });
  });

  it('accepts http:// outside production unless WEBHOOK_ALLOW_HTTP says otherwise', () => {
    const production = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db/leads',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes',
      SECRETS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    };
    expect(loadConfig({ NODE_ENV: 'test' }).webhooks.allowHttp).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_HTTP: 'false' }).webhooks.allowHttp).toBe(
      false,
    );
    expect(loadConfig(production).webhooks.allowHttp).toBe(false);
    expect(loadConfig({ ...production, WEBHOOK_ALLOW_HTTP: 'true' }).webhooks.allowHttp).toBe(true);
  });

  it('reads the allowed private hosts, normalized and without repeats', () => {
    const config = loadConfig({
      WEBHOOK_ALLOWED_PRIVATE_HOSTS: ' 127.0.0.1, Receiver.Internal ,10.20.0.0/16,[::1],127.0.0.1',
    });

    expect(config.webhooks.allowedPrivateHosts).toEqual([
      '127.0.0.1',
      'receiver.internal',
      '10.20.0.0/16',
      '::1',
    ]);
  });

  it.each([
    [
      'WEBHOOK_ALLOWED_PRIVATE_HOSTS',
      'ok.internal,http://x',
      /entry 2 \("http:\/\/x"\) must be a hostname/,
    ],
    [
      'WEBHOOK_ALLOWED_PRIVATE_HOSTS',
      '10.0.0.0/33',
      /entry 1 .* must be a hostname, an IP address or a CIDR range/,
    ],
    ['WEBHOOK_ALLOW_HTTP', 'maybe', /WEBHOOK_ALLOW_HTTP: must be true or false/],
    ['WEBHOOK_TIMEOUT_MS', '50', /WEBHOOK_TIMEOUT_MS: must be at least 100/],
    ['WEBHOOK_RETRY_WINDOW_MS', '10', /WEBHOOK_RETRY_WINDOW_MS: must be at least 100/],
    ['WEBHOOK_CONCURRENCY', '0', /WEBHOOK_CONCURRENCY: must be at least 1/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(message)]);
  });

  it('refuses a longest retry delay below the base delay', () => {
    expect(
      problemsOf({ WEBHOOK_RETRY_BASE_DELAY_MS: '5000', WEBHOOK_RETRY_MAX_DELAY_MS: '1000' }),
    ).toEqual([
      'WEBHOOK_RETRY_MAX_DELAY_MS: must be at least WEBHOOK_RETRY_BASE_DELAY_MS (5000) (got "1000")',
    ]);
  });
});

describe('normalizeAllowedHost', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['[fd00::1]', 'fd00::1'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['Hooks.Example.TEST', 'hooks.example.test'],
    ['', undefined],
    ['*.example.test', undefined],
    ['a b', undefined],
  ])('%s → %s', (entry, normal) => {
    expect(normalizeAllowedHost(entry)).toBe(normal);
  });
});
