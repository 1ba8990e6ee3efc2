import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import {
  APP_ROLES,
  AppConfig,
  FeatureTriple,
  JWT_ALGORITHMS,
  LOCAL_MONGO_ENGINES,
  LOG_LEVELS,
  RANKING_INDEXES,
  NODE_ENVS,
} from './app-config';
import { ConfigValidationError } from './config-validation.error';

type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems instead of throwing at the first, so one message names every bad variable. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}: must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  number(
    name: string,
    fallback: number,
    rule: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number },
  ): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    const problem = describeNumberProblem(parsed, rule);
    if (problem !== undefined) {
      this.problems.push(`${name}: ${problem} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  triple(
    name: string,
    fallback: FeatureTriple,
    rule: { positive: boolean; positiveSum?: boolean },
  ): FeatureTriple {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parts = value.split(',').map((part) => Number(part.trim()));
    const bad = (n: number) => !Number.isFinite(n) || (rule.positive ? n <= 0 : n < 0);
    if (parts.length !== 3 || parts.some(bad)) {
      const expected = rule.positive ? 'positive' : 'non-negative';
      this.problems.push(
        `${name}: must be three comma-separated ${expected} numbers for emailOpens,websiteVisits,timeSpent (got "${value}")`,
      );
      return fallback;
    }
    if (rule.positiveSum && parts[0] + parts[1] + parts[2] <= 0) {
      this.problems.push(`${name}: the three numbers must have a positive sum (got "${value}")`);
      return fallback;
    }
    return [parts[0], parts[1], parts[2]];
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name}: must be true or false (got "${value}")`);
    return fallback;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let protocol: string;
    try {
      protocol = new URL(value).protocol.replace(/:$/, '');
    } catch {
      this.problems.push(`${name}: must be a URL (got "${redact(value)}")`);
      return undefined;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name}: must use ${protocols.join(' or ')} (got "${protocol}:")`);
      return undefined;
    }
    return value;
  }
}

function describeNumberProblem(
  n: number,
  rule: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number },
): string | undefined {
  if (!Number.isFinite(n)) return 'must be a number';
  if (rule.integer && !Number.isInteger(n)) return 'must be a whole number';
  if (rule.min !== undefined && n < rule.min) return `must be at least ${rule.min}`;
  if (rule.exclusiveMin !== undefined && n <= rule.exclusiveMin)
    return `must be greater than ${rule.exclusiveMin}`;
  if (rule.max !== undefined && n > rule.max) return `must be at most ${rule.max}`;
  return undefined;
}

/** Hides credentials before a value is echoed in an error. */
function redact(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}

function validateAuth(config: AppConfig, problems: string[], nodeEnv: string): void {
  const { auth } = config;
  if (auth.jwtAlgorithm === 'HS256') {
    if (auth.jwtSecret !== undefined && Buffer.byteLength(auth.jwtSecret) < 32) {
      problems.push('JWT_SECRET: must be at least 32 bytes for HS256');
    } else if (auth.jwtSecret === undefined && nodeEnv === 'production') {
      problems.push('JWT_SECRET: required with JWT_ALGORITHM=HS256 when NODE_ENV=production');
    }
  } else {
    if (auth.jwksUrl === undefined && !problems.some((p) => p.startsWith('JWT_JWKS_URL'))) {
      problems.push('JWT_JWKS_URL: required with JWT_ALGORITHM=RS256');
    }
    if (auth.jwtPrivateKey !== undefined && !auth.jwtPrivateKey.includes('PRIVATE KEY')) {
      problems.push('JWT_PRIVATE_KEY: must be a PEM private key');
    }
    if (auth.jwtPrivateKey !== undefined && auth.jwtKeyId === undefined) {
      problems.push(
        'JWT_KEY_ID: required with JWT_PRIVATE_KEY, so verifiers can pick the key from the JWKS',
      );
    }
  }
}

const BODY_LIMIT = /^\d+(b|kb|mb)$/i;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** `id:base64key,id2:base64key2`, each key 32 bytes; the first seals. Never echoes a key. */
function readSecretKeys(value: string | undefined, problems: string[]): AppConfig['secretKeys'] {
  if (value === undefined)
    return { keys: [{ id: 'ephemeral', key: randomBytes(32) }], ephemeral: true };
  const keys: { id: string; key: Buffer }[] = [];
  value.split(',').forEach((entry, i) => {
    const [id, encoded, ...rest] = entry.trim().split(':');
    const key = encoded === undefined ? undefined : Buffer.from(encoded, 'base64');
    if (rest.length > 0 || !id || !KEY_ID.test(id) || !key || key.length !== 32) {
      problems.push(
        `SECRETS_ENCRYPTION_KEYS: entry ${i + 1} must be <id>:<32 bytes in base64> with an id of 1-32 letters, digits, '-' or '_'`,
      );
    } else if (keys.some((known) => known.id === id)) {
      problems.push(`SECRETS_ENCRYPTION_KEYS: key id "${id}" appears twice`);
    } else keys.push({ id, key });
  });
  return { keys, ephemeral: false };
}

/**
 * Validates the environment once at boot. Throws ConfigValidationError naming every bad variable;
 * otherwise returns the typed configuration with defaults applied.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', NODE_ENVS, 'development');

  const bodyLimit = read.string('HTTP_BODY_LIMIT', '1mb');
  if (!BODY_LIMIT.test(bodyLimit)) {
    read.problems.push(`HTTP_BODY_LIMIT: must look like 512kb or 1mb (got "${bodyLimit}")`);
  }

  const config: AppConfig = {
    env: nodeEnv,
    role: read.oneOf('APP_ROLE', APP_ROLES, 'all'),
    instanceId: read.string(
      'INSTANCE_ID',
      `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    ),
    http: {
      host: read.string('HOST', '127.0.0.1'),
      port: read.number('PORT', 3000, { integer: true, min: 0, max: 65535 }),
      bodyLimit,
    },
    mongo: {
      uri: read.url('MONGODB_URI', ['mongodb', 'mongodb+srv']),
      localEngine: read.oneOf('LOCAL_MONGO_ENGINE', LOCAL_MONGO_ENGINES, 'auto'),
      serverSelectionTimeoutMs: read.number('MONGODB_SERVER_SELECTION_TIMEOUT_MS', 2000, {
        integer: true,
        min: 100,
      }),
    },
    redis: {
      url: read.url('REDIS_URL', ['redis', 'rediss']),
      prefix: read.string('REDIS_PREFIX', 'ls'),
    },
    dataDir: read.string('DATA_DIR', '.data'),
    dashboardDir: read.string('DASHBOARD_DIR', 'client/dist'),
    demoData: read.boolean('DEMO_DATA', false),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    shutdownTimeoutMs: read.number('SHUTDOWN_TIMEOUT_MS', 10_000, { integer: true, min: 0 }),
    scoring: {
      weights: read.triple('LEAD_SCORE_WEIGHTS', [0.4, 0.35, 0.25], {
        positive: false,
        positiveSum: true,
      }),
      caps: read.triple('LEAD_SCORE_CAPS', [10, 20, 600], { positive: true }),
      halfLifeDays: read.number('LEAD_SCORE_DECAY_HALFLIFE_DAYS', 7, { exclusiveMin: 0 }),
      freshnessMinutes: read.number('SCORE_FRESHNESS_MINUTES', 15, { exclusiveMin: 0 }),
      refreshBudgetMs: read.number('SCORING_REFRESH_BUDGET_MS', 500, {
        integer: true,
        min: 10,
        max: 60_000,
      }),
      batchChunkSize: read.number('SCORING_BATCH_CHUNK_SIZE', 1000, {
        integer: true,
        min: 1,
        max: 10_000,
      }),
      batchChunkDelayMs: read.number('SCORING_BATCH_CHUNK_DELAY_MS', 0, {
        integer: true,
        min: 0,
        max: 60_000,
      }),
      rankingIndex: read.oneOf('RANKING_INDEX', RANKING_INDEXES, 'redis'),
    },
    training: {
      minPerClass: read.number('TRAINING_MIN_PER_CLASS', 40, {
        integer: true,
        min: 1,
        max: 1_000_000,
      }),
    },
    datasets: {
      inlineMaxRows: read.number('DATASET_INLINE_MAX_ROWS', 5_000, {
        integer: true,
        min: 0,
        max: 1_000_000,
      }),
      analysisSampleRows: read.number('DATASET_ANALYSIS_SAMPLE_ROWS', 10_000, {
        integer: true,
        min: 1,
        max: 1_000_000,
      }),
    },
    queues: {
      lockDurationMs: read.number('QUEUE_LOCK_DURATION_MS', 30_000, { integer: true, min: 500 }),
      stalledIntervalMs: read.number('QUEUE_STALLED_INTERVAL_MS', 30_000, {
        integer: true,
        min: 500,
      }),
    },
    auth: {
      jwtAlgorithm: read.oneOf('JWT_ALGORITHM', JWT_ALGORITHMS, 'HS256'),
      jwtSecret: read.optionalString('JWT_SECRET'),
      jwtSecretIsEphemeral: false,
      jwksUrl: read.url('JWT_JWKS_URL', ['http', 'https']),
      jwtPrivateKey: read.optionalString('JWT_PRIVATE_KEY')?.replace(/\\n/g, '\n'),
      jwtKeyId: read.optionalString('JWT_KEY_ID'),
      issuer: read.string('JWT_ISSUER', 'lead-scoring'),
      audience: read.string('JWT_AUDIENCE', 'lead-scoring-api'),
      accessTokenTtlSeconds: read.number('ACCESS_TOKEN_TTL_SECONDS', 900, {
        integer: true,
        min: 30,
        max: 86_400,
      }),
      refreshTokenTtlSeconds: read.number('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, {
        integer: true,
        min: 300,
      }),
      registrationEnabled: read.boolean('REGISTRATION_ENABLED', true),
    },
    secretKeys: readSecretKeys(read.optionalString('SECRETS_ENCRYPTION_KEYS'), read.problems),
    rateLimit: {
      userPerMinute: read.number('RATE_LIMIT_USER_PER_MINUTE', 60, { integer: true, min: 1 }),
      ipPerMinute: read.number('RATE_LIMIT_IP_PER_MINUTE', 600, { integer: true, min: 1 }),
      loginMaxAttempts: read.number('LOGIN_MAX_ATTEMPTS', 5, { integer: true, min: 1 }),
      loginWindowSeconds: read.number('LOGIN_WINDOW_SECONDS', 900, { integer: true, min: 1 }),
      registerMaxPerEmail: read.number('REGISTER_MAX_PER_EMAIL', 3, { integer: true, min: 1 }),
      registerMaxPerIp: read.number('REGISTER_MAX_PER_IP', 20, { integer: true, min: 1 }),
    },
    jsonInput: {
      // MongoDB refuses documents nested deeper than 100 levels; attributes sit a level down.
      maxDepth: read.number('JSON_MAX_DEPTH', 10, { integer: true, min: 1, max: 90 }),
      maxKeysPerObject: read.number('JSON_MAX_KEYS_PER_OBJECT', 100, { integer: true, min: 1 }),
      maxTotalKeys: read.number('JSON_MAX_TOTAL_KEYS', 1000, { integer: true, min: 1 }),
      maxKeyLength: read.number('JSON_MAX_KEY_LENGTH', 100, { integer: true, min: 1, max: 1024 }),
      maxStringLength: read.number('JSON_MAX_STRING_LENGTH', 5000, { integer: true, min: 1 }),
      maxBytes: read.number('JSON_MAX_BYTES', 16_384, { integer: true, min: 64 }),
    },
    websocket: {
      maxSubscriptionsPerSocket: read.number('WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 20, {
        integer: true,
        min: 1,
      }),
      maxSocketsPerUser: read.number('WS_MAX_SOCKETS_PER_USER', 10, { integer: true, min: 1 }),
    },
    localEngines: {
      watchIntervalMs: read.number('LOCAL_ENGINE_WATCH_INTERVAL_MS', 5000, {
        integer: true,
        min: 100,
      }),
      maxRestarts: read.number('LOCAL_ENGINE_MAX_RESTARTS', 5, { integer: true, min: 0 }),
    },
    graphql: {
      maxDepth: read.number('GRAPHQL_MAX_DEPTH', 8, { integer: true, min: 2, max: 50 }),
      maxComplexity: read.number('GRAPHQL_MAX_COMPLEXITY', 1000, { integer: true, min: 10 }),
      maxAliases: read.number('GRAPHQL_MAX_ALIASES', 15, { integer: true, min: 0 }),
      maxBatch: read.number('GRAPHQL_MAX_BATCH', 5, { integer: true, min: 1, max: 50 }),
    },
    openai: {
      apiKey: read.optionalString('OPENAI_API_KEY'),
      baseUrl: read.url('OPENAI_BASE_URL', ['http', 'https']),
      model: read.string('OPENAI_MODEL', 'gpt-4o-mini'),
      timeoutMs: read.number('OPENAI_TIMEOUT_MS', 20_000, {
        integer: true,
        min: 100,
        max: 300_000,
      }),
      maxRetries: read.number('OPENAI_MAX_RETRIES', 3, { integer: true, min: 0, max: 10 }),
      requestsPerMinute: read.number('AI_REQUESTS_PER_MINUTE', 60, {
        integer: true,
        min: 1,
        max: 100_000,
      }),
      tokensPerMinute: read.number('AI_TOKENS_PER_MINUTE', 100_000, {
        integer: true,
        min: 100,
        max: 100_000_000,
      }),
      breakerFailures: read.number('AI_BREAKER_FAILURES', 5, { integer: true, min: 1, max: 1000 }),
      breakerCooldownMs: read.number('AI_BREAKER_COOLDOWN_MS', 30_000, {
        integer: true,
        min: 100,
        max: 3_600_000,
      }),
    },
  };

  if (!/^[A-Za-z0-9_-]{1,32}$/.test(config.redis.prefix)) {
    read.problems.push(
      `REDIS_PREFIX: must be 1-32 letters, digits, '-' or '_' (got "${config.redis.prefix}")`,
    );
  }
  validateAuth(config, read.problems, nodeEnv);
  if (nodeEnv === 'production') {
    // Local engines are a convenience for development and tests, never for production.
    if (config.mongo.uri === undefined && !read.problems.some((p) => p.startsWith('MONGODB_URI')))
      read.problems.push('MONGODB_URI: required when NODE_ENV=production');
    if (config.redis.url === undefined && !read.problems.some((p) => p.startsWith('REDIS_URL')))
      read.problems.push('REDIS_URL: required when NODE_ENV=production');
  }

  if (config.secretKeys.ephemeral && nodeEnv === 'production')
    read.problems.push('SECRETS_ENCRYPTION_KEYS: required when NODE_ENV=production');

  if (read.problems.length > 0) throw new ConfigValidationError(read.problems);
  if (config.auth.jwtAlgorithm === 'HS256' && config.auth.jwtSecret === undefined) {
    return {
      ...config,
      auth: {
        ...config.auth,
        jwtSecret: randomBytes(48).toString('base64url'),
        jwtSecretIsEphemeral: true,
      },
    };
  }
  return config;
}
