import { ConfigValidationError } from './config-validation.error';
import { problemsOf } from '@test/utils/config';

import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const sut = loadConfig({});

    expect(sut).toMatchObject({
      env: 'development',
      role: 'all',
      http: { host: '127.0.0.1', port: 3000, bodyLimit: '1mb' },
      mongo: { uri: undefined, localEngine: 'auto', serverSelectionTimeoutMs: 2000 },
      redis: { url: undefined, prefix: 'ls' },
      dataDir: '.data',
      logLevel: 'log',
      shutdownTimeoutMs: 10000,
      scoring: {
        weights: [0.4, 0.35, 0.25],
        caps: [10, 20, 600],
        halfLifeDays: 7,
        freshnessMinutes: 15,
      },
      openai: { apiKey: undefined, baseUrl: undefined, model: 'gpt-4o-mini' },
    });
    expect(sut.instanceId).toMatch(/\S+/);
  });

  it('reads every variable when it is valid', () => {
    const sut = loadConfig({
      NODE_ENV: 'production',
      APP_ROLE: 'worker',
      INSTANCE_ID: 'worker-1',
      HOST: '0.0.0.0',
      PORT: '8080',
      HTTP_BODY_LIMIT: '512kb',
      MONGODB_URI: 'mongodb://db:27017/leads',
      LOCAL_MONGO_ENGINE: 'java',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500',
      REDIS_URL: 'redis://cache:6379',
      REDIS_PREFIX: 'prod-eu',
      DATA_DIR: '/var/lib/leads',
      LOG_LEVEL: 'debug',
      SHUTDOWN_TIMEOUT_MS: '30000',
      LEAD_SCORE_WEIGHTS: '0.5, 0.3, 0.2',
      LEAD_SCORE_CAPS: '5,10,300',
      LEAD_SCORE_DECAY_HALFLIFE_DAYS: '3.5',
      SCORE_FRESHNESS_MINUTES: '5',
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes',
      SECRETS_ENCRYPTION_KEYS: `prod1:${Buffer.alloc(32, 3).toString('base64')}`,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1',
      OPENAI_MODEL: 'gpt-4.1-mini',
    });

    expect(sut).toMatchObject({
      env: 'production',
      role: 'worker',
      instanceId: 'worker-1',
      http: { host: '0.0.0.0', port: 8080, bodyLimit: '512kb' },
      mongo: {
        uri: 'mongodb://db:27017/leads',
        localEngine: 'java',
        serverSelectionTimeoutMs: 1500,
      },
      redis: { url: 'redis://cache:6379', prefix: 'prod-eu' },
      dataDir: '/var/lib/leads',
      logLevel: 'debug',
      shutdownTimeoutMs: 30000,
      scoring: {
        weights: [0.5, 0.3, 0.2],
        caps: [5, 10, 300],
        halfLifeDays: 3.5,
        freshnessMinutes: 5,
      },
      openai: { apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9999/v1', model: 'gpt-4.1-mini' },
    });
  });

  it.each([
    ['NODE_ENV', 'staging', /NODE_ENV: must be one of development, test, production/],
    ['APP_ROLE', 'scheduler', /APP_ROLE: must be one of api, worker, all/],
    ['PORT', '70000', /PORT: must be at most 65535/],
    ['PORT', 'eighty', /PORT: must be a number/],
    ['PORT', '80.5', /PORT: must be a whole number/],
    ['HTTP_BODY_LIMIT', 'huge', /HTTP_BODY_LIMIT: must look like 512kb or 1mb/],
    ['MONGODB_URI', 'not a url', /MONGODB_URI: must be a URL/],
    ['MONGODB_URI', 'postgres://db/leads', /MONGODB_URI: must use mongodb or mongodb\+srv/],
    ['MONGODB_URI', 'mongodb://db one/leads', /MONGODB_URI: must be a MongoDB connection string/],
    ['LOCAL_MONGO_ENGINE', 'ferret', /LOCAL_MONGO_ENGINE: must be one of auto, mongod, java/],
    [
      'MONGODB_SERVER_SELECTION_TIMEOUT_MS',
      '10',
      /MONGODB_SERVER_SELECTION_TIMEOUT_MS: must be at least 100/,
    ],
    ['REDIS_URL', 'http://cache:6379', /REDIS_URL: must use redis or rediss/],
    ['REDIS_PREFIX', 'has space', /REDIS_PREFIX: must be 1-32 letters/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of error, warn, log, debug, verbose/],
    ['RANKING_INDEX', 'memcached', /RANKING_INDEX: must be one of redis, off/],
    ['SHUTDOWN_TIMEOUT_MS', '-1', /SHUTDOWN_TIMEOUT_MS: must be at least 0/],
    [
      'LEAD_SCORE_WEIGHTS',
      '0.5,0.5',
      /LEAD_SCORE_WEIGHTS: must be three comma-separated non-negative numbers/,
    ],
    [
      'LEAD_SCORE_WEIGHTS',
      '0.5,-0.1,0.6',
      /LEAD_SCORE_WEIGHTS: must be three comma-separated non-negative numbers/,
    ],
    [
      'LEAD_SCORE_WEIGHTS',
      '0,0,0',
      /LEAD_SCORE_WEIGHTS: the three numbers must have a positive sum/,
    ],
    [
      'LEAD_SCORE_CAPS',
      '10,0,600',
      /LEAD_SCORE_CAPS: must be three comma-separated positive numbers/,
    ],
    [
      'LEAD_SCORE_CAPS',
      '10,x,600',
      /LEAD_SCORE_CAPS: must be three comma-separated positive numbers/,
    ],
    [
      'LEAD_SCORE_DECAY_HALFLIFE_DAYS',
      '0',
      /LEAD_SCORE_DECAY_HALFLIFE_DAYS: must be greater than 0/,
    ],
    ['SCORE_FRESHNESS_MINUTES', '-5', /SCORE_FRESHNESS_MINUTES: must be greater than 0/],
    ['OPENAI_BASE_URL', 'ftp://models', /OPENAI_BASE_URL: must use http or https/],
    ['JWT_SECRET', 'too-short', /JWT_SECRET: must be at least 32 bytes for HS256/],
    ['JWT_ALGORITHM', 'HS512', /JWT_ALGORITHM: must be one of HS256, RS256/],
    ['ACCESS_TOKEN_TTL_SECONDS', '10', /ACCESS_TOKEN_TTL_SECONDS: must be at least 30/],
    ['REGISTRATION_ENABLED', 'maybe', /REGISTRATION_ENABLED: must be true or false/],
    ['RATE_LIMIT_USER_PER_MINUTE', '0', /RATE_LIMIT_USER_PER_MINUTE: must be at least 1/],
    ['LOGIN_MAX_ATTEMPTS', 'many', /LOGIN_MAX_ATTEMPTS: must be a number/],
    ['GRAPHQL_MAX_DEPTH', '100', /GRAPHQL_MAX_DEPTH: must be at most 50/],
    ['GRAPHQL_MAX_BATCH', '0', /GRAPHQL_MAX_BATCH: must be at least 1/],
    ['INTERACTIONS_BACKLOG_MAX', '999', /INTERACTIONS_BACKLOG_MAX: must be at least 1000/],
    ['INTERACTIONS_BACKLOG_MAX', '50001', /INTERACTIONS_BACKLOG_MAX: must be at most 50000/],
  ])('names %s when it is %p', (name, value, expected) => {
    const problems = problemsOf({ [name]: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('lists every bad variable in one error message', () => {
    let message = '';
    try {
      loadConfig({ PORT: '-1', APP_ROLE: 'x', LEAD_SCORE_CAPS: '1,2', OPENAI_BASE_URL: 'nope' });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(/^Invalid configuration \(4 problems\):/);
    for (const name of ['PORT', 'APP_ROLE', 'LEAD_SCORE_CAPS', 'OPENAI_BASE_URL']) {
      expect(message).toContain(`  - ${name}:`);
    }
  });

  it('requires external engines in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: required with JWT_ALGORITHM=HS256 when NODE_ENV=production',
      'MONGODB_URI: required when NODE_ENV=production',
      'REDIS_URL: required when NODE_ENV=production',
      'SECRETS_ENCRYPTION_KEYS: required when NODE_ENV=production',
    ]);
  });

  it('never echoes credentials of a malformed URL', () => {
    const [problem] = problemsOf({ MONGODB_URI: 'mongodb//user:secret@db' });

    expect(problem).toMatch(/MONGODB_URI/);
    expect(problem).not.toContain('secret');
  });

  it('treats blank variables as absent', () => {
    expect(loadConfig({ PORT: '  ', MONGODB_URI: '' })).toMatchObject({
      http: { port: 3000 },
      mongo: { uri: undefined },
    });
  });

  it('requires a JWKS URL for RS256, and a key id with a private key', () => {
    expect(
      problemsOf({ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----x' }),
    ).toEqual([
      'JWT_JWKS_URL: required with JWT_ALGORITHM=RS256',
      'JWT_KEY_ID: required with JWT_PRIVATE_KEY, so verifiers can pick the key from the JWKS',
    ]);
  });

  it('generates a throw-away JWT secret outside production and says so', () => {
    const sut = loadConfig({});

    expect(sut.auth.jwtSecretIsEphemeral).toBe(true);
    expect(Buffer.byteLength(sut.auth.jwtSecret ?? '')).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) }).auth).toMatchObject({
      jwtSecret: 'x'.repeat(32),
      jwtSecretIsEphemeral: false,
    });
  });

  it('applies the auth, rate-limit and GraphQL-limit defaults', () => {
    expect(loadConfig({})).toMatchObject({
      auth: {
        jwtAlgorithm: 'HS256',
        issuer: 'lead-scoring',
        audience: 'lead-scoring-api',
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 2_592_000,
        registrationEnabled: true,
      },
      rateLimit: {
        userPerMinute: 60,
        ipPerMinute: 600,
        loginMaxAttempts: 5,
        loginWindowSeconds: 900,
      },
      graphql: {
        maxDepth: 8,
        maxComplexity: 1000,
        maxAliases: 15,
        maxBatch: 5,
        compiledExecution: true,
      },
    });
  });

  it('applies the defaults of the hostile-input, WebSocket and local-engine limits', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimit: { registerMaxPerEmail: 3, registerMaxPerIp: 20 },
      jsonInput: {
        maxDepth: 10,
        maxKeysPerObject: 100,
        maxTotalKeys: 1000,
        maxKeyLength: 100,
        maxStringLength: 5000,
        maxBytes: 16_384,
      },
      websocket: { maxSubscriptionsPerSocket: 20, maxSocketsPerUser: 10 },
      localEngines: { watchIntervalMs: 5000, maxRestarts: 5 },
    });
    // Deeper than MongoDB's 100 levels once inside a document: refused.
    expect(problemsOf({ JSON_MAX_DEPTH: '95' })).toEqual([
      'JSON_MAX_DEPTH: must be at most 90 (got "95")',
    ]);
  });

  it('reads SECRETS_ENCRYPTION_KEYS, the first key sealing, and never echoes a key', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');

    const sut = loadConfig({ SECRETS_ENCRYPTION_KEYS: `new:${b}, old:${a}` });

    expect(sut.secretKeys.ephemeral).toBe(false);
    expect(sut.secretKeys.keys.map((key) => [key.id, key.key.toString('base64')])).toEqual([
      ['new', b],
      ['old', a],
    ]);
    const problems = problemsOf({
      SECRETS_ENCRYPTION_KEYS: `x:${a},bad id:${a},y:c2hvcnQ=,x:${b}`,
    });
    expect(problems).toEqual([
      "SECRETS_ENCRYPTION_KEYS: entry 2 must be <id>:<32 bytes in base64> with an id of 1-32 letters, digits, '-' or '_'",
      "SECRETS_ENCRYPTION_KEYS: entry 3 must be <id>:<32 bytes in base64> with an id of 1-32 letters, digits, '-' or '_'",
      'SECRETS_ENCRYPTION_KEYS: key id "x" appears twice',
    ]);
    expect(problems.join(' ')).not.toContain(a);
    expect(loadConfig({}).secretKeys.ephemeral).toBe(true);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://db/x',
        REDIS_URL: 'redis://cache',
        JWT_SECRET: 'a-production-secret-of-at-least-32-bytes',
      }),
    ).toEqual(['SECRETS_ENCRYPTION_KEYS: required when NODE_ENV=production']);
  });

  it('lists every bad variable at once, the cross-field rules included', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        PORT: '70000',
        LOG_LEVEL: 'loud',
        TRUST_PROXY: 'loopback, 10.0.0.0/33',
        JWT_SECRET: 'short-and-secret',
        SHUTDOWN_TIMEOUT_MS: '5000',
        SHUTDOWN_DRAIN_DELAY_MS: '8000',
        MONGODB_URI: 'mongodb://db/leads',
        REDIS_URL: 'redis://cache',
        SECRETS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    expect(problems).toEqual([
      'PORT: must be at most 65535 (got "70000")',
      'TRUST_PROXY: "10.0.0.0/33" is not an IP address, a subnet (address/prefix) or one of loopback, linklocal, uniquelocal; use true, false, a hop count or a comma-separated list of those (got "loopback, 10.0.0.0/33")',
      'LOG_LEVEL: must be one of error, warn, log, debug, verbose (got "loud")',
      'JWT_SECRET: must be at least 32 bytes for HS256',
      'SHUTDOWN_DRAIN_DELAY_MS: must be less than SHUTDOWN_TIMEOUT_MS (5000), or the shutdown times out while draining (got "8000")',
    ]);
    expect(message).toMatch(/^Invalid configuration \(5 problems\):\n {2}- PORT: /);
    expect(message).not.toContain('short-and-secret');
  });

  describe('TRUST_PROXY', () => {
    it("defaults to 'loopback', as it was hard-coded before", () => {
      expect(loadConfig({}).http.trustProxy).toBe('loopback');
    });

    it.each([
      ['true', true],
      ['FALSE', false],
      ['2', 2],
      ['0', 0],
      ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
      [' uniquelocal,linklocal ', 'uniquelocal, linklocal'],
      [
        '10.1.2.3, fd00::/8, 192.168.0.0/255.255.0.0, ::1',
        '10.1.2.3, fd00::/8, 192.168.0.0/255.255.0.0, ::1',
      ],
    ])('reads %p as %p', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).http.trustProxy).toBe(expected);
    });

    it.each([
      ['lopback', 'lopback'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['10.0.0.0/0', '10.0.0.0/0'],
      ['fd00::/129', 'fd00::/129'],
      ['300.1.1.1', '300.1.1.1'],
      ['loopback,', ''],
      ['192.168.0.0/255.0.255.0', '192.168.0.0/255.0.255.0'],
      ['-1', '-1'],
    ])('refuses %p, naming the bad entry', (value, entry) => {
      const problems = problemsOf({ TRUST_PROXY: value });

      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY: /);
      expect(problems[0]).toContain(`"${entry}" is not an IP address`);
    });
  });

  describe('SHUTDOWN_DRAIN_DELAY_MS', () => {
    it('defaults to 0 (no drain delay)', () => {
      expect(loadConfig({}).shutdownDrainDelayMs).toBe(0);
    });

    it('reads a whole number of milliseconds from 0 to 600000', () => {
      expect(loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5000' }).shutdownDrainDelayMs).toBe(5000);
      expect(
        loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '600000', SHUTDOWN_TIMEOUT_MS: '600001' })
          .shutdownDrainDelayMs,
      ).toBe(600_000);
      expect(problemsOf({ SHUTDOWN_DRAIN_DELAY_MS: '600001' })).toEqual([
        'SHUTDOWN_DRAIN_DELAY_MS: must be at most 600000 (got "600001")',
      ]);
      expect(problemsOf({ SHUTDOWN_DRAIN_DELAY_MS: '-1' })).toEqual([
        'SHUTDOWN_DRAIN_DELAY_MS: must be at least 0 (got "-1")',
      ]);
      expect(problemsOf({ SHUTDOWN_DRAIN_DELAY_MS: '1.5' })).toEqual([
        'SHUTDOWN_DRAIN_DELAY_MS: must be a whole number (got "1.5")',
      ]);
    });

    it('must be less than SHUTDOWN_TIMEOUT_MS when both are set', () => {
      expect(problemsOf({ SHUTDOWN_DRAIN_DELAY_MS: '10000' })).toEqual([
        'SHUTDOWN_DRAIN_DELAY_MS: must be less than SHUTDOWN_TIMEOUT_MS (10000), or the shutdown times out while draining (got "10000")',
      ]);
      expect(
        loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '9999', SHUTDOWN_TIMEOUT_MS: '10000' }),
      ).toMatchObject({ shutdownDrainDelayMs: 9999, shutdownTimeoutMs: 10_000 });
      // A timeout of 0 is not a limit the drain could exceed.
      expect(
        loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '20000', SHUTDOWN_TIMEOUT_MS: '0' })
          .shutdownDrainDelayMs,
      ).toBe(20_000);
      // An invalid timeout is one problem, not two.
      expect(problemsOf({ SHUTDOWN_DRAIN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: 'soon' })).toEqual([
        'SHUTDOWN_TIMEOUT_MS: must be a number (got "soon")',
      ]);
    });
  });

  describe('SLOW_OPERATION_MS', () => {
    it('defaults to 100 ms', () => {
      expect(loadConfig({}).slowOperationMs).toBe(100);
    });

    it('reads a whole number of milliseconds from 0 (log every operation) to 600000', () => {
      expect(loadConfig({ SLOW_OPERATION_MS: '0' }).slowOperationMs).toBe(0);
      expect(loadConfig({ SLOW_OPERATION_MS: '250' }).slowOperationMs).toBe(250);
      expect(loadConfig({ SLOW_OPERATION_MS: '600000' }).slowOperationMs).toBe(600_000);
      expect(problemsOf({ SLOW_OPERATION_MS: '600001' })).toEqual([
        'SLOW_OPERATION_MS: must be at most 600000 (got "600001")',
      ]);
      expect(problemsOf({ SLOW_OPERATION_MS: '-1' })).toEqual([
        'SLOW_OPERATION_MS: must be at least 0 (got "-1")',
      ]);
      expect(problemsOf({ SLOW_OPERATION_MS: '0.5' })).toEqual([
        'SLOW_OPERATION_MS: must be a whole number (got "0.5")',
      ]);
    });
  });
});

describe('MONGODB_URI with several hosts', () => {
  it.each([
    'mongodb://app:pw@mongo-0:27017,mongo-1:27017,mongo-2:27017/lead_scoring?replicaSet=rs0&authSource=lead_scoring',
    'mongodb://mongos-a,mongos-b/lead_scoring',
    'mongodb+srv://app:pw@cluster0.example.net/lead_scoring?retryWrites=true',
    'mongodb://[::1]:27017/db',
  ])('accepts %s', (uri) => {
    expect(loadConfig({ MONGODB_URI: uri }).mongo.uri).toBe(uri);
  });
});
