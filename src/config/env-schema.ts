import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { z } from 'zod';

import {
  APP_ROLES,
  JWT_ALGORITHMS,
  LOCAL_MONGO_ENGINES,
  LOG_LEVELS,
  NODE_ENVS,
  RANKING_INDEXES,
} from './app-config';
import {
  featureTriple,
  flag,
  fromEnv,
  integer,
  matching,
  mongoUri,
  oneOf,
  optionalText,
  positiveNumber,
  text,
  url,
} from './env-fields';
import { secretKeys } from './secret-keys';
import { trustProxy } from './trust-proxy';
import { webhookAllowedHosts } from './webhook-hosts';

/** The process environment, or a test's stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every variable the application reads, one entry each: coercion, default and rule. Rules that
 * involve several variables are in cross-field-rules.ts. The order is the order of the problems.
 */
export const envSchema = z.object({
  NODE_ENV: oneOf(NODE_ENVS, 'development'),
  APP_ROLE: oneOf(APP_ROLES, 'all'),
  INSTANCE_ID: text(() => `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`),

  HOST: text('127.0.0.1'),
  PORT: integer(3000, { min: 0, max: 65535 }),
  HTTP_BODY_LIMIT: matching(/^\d+(b|kb|mb)$/i, 'must look like 512kb or 1mb', '1mb'),
  TRUST_PROXY: trustProxy(),

  MONGODB_URI: mongoUri(),
  LOCAL_MONGO_ENGINE: oneOf(LOCAL_MONGO_ENGINES, 'auto'),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: integer(2000, { min: 100 }),
  REDIS_URL: url(['redis', 'rediss']),
  REDIS_PREFIX: matching(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 letters, digits, '-' or '_'", 'ls'),

  DATA_DIR: text('.data'),
  DASHBOARD_DIR: text('client/dist'),
  DEMO_DATA: flag(false),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'log'),
  SHUTDOWN_TIMEOUT_MS: integer(10_000, { min: 0 }),
  SHUTDOWN_DRAIN_DELAY_MS: integer(0, { min: 0, max: 600_000 }),
  SLOW_OPERATION_MS: integer(100, { min: 0, max: 600_000 }),

  LEAD_SCORE_WEIGHTS: featureTriple([0.4, 0.35, 0.25], { positive: false, positiveSum: true }),
  LEAD_SCORE_CAPS: featureTriple([10, 20, 600], { positive: true }),
  LEAD_SCORE_DECAY_HALFLIFE_DAYS: positiveNumber(7),
  SCORE_FRESHNESS_MINUTES: positiveNumber(15),
  SCORE_TREND_WINDOW_DAYS: integer(14, { min: 1, max: 365 }),
  SCORE_TREND_MIN_CHANGE: integer(5, { min: 1, max: 100 }),
  SCORING_REFRESH_BUDGET_MS: integer(500, { min: 10, max: 60_000 }),
  SCORING_BATCH_CHUNK_SIZE: integer(1000, { min: 1, max: 10_000 }),
  SCORING_BATCH_CHUNK_DELAY_MS: integer(0, { min: 0, max: 60_000 }),
  RANKING_INDEX: oneOf(RANKING_INDEXES, 'redis'),
  INTERACTIONS_BACKLOG_MAX: integer(10_000, { min: 1_000, max: 50_000 }),
  TRAINING_MIN_PER_CLASS: integer(40, { min: 1, max: 1_000_000 }),
  DATASET_INLINE_MAX_ROWS: integer(5_000, { min: 0, max: 1_000_000 }),
  DATASET_ANALYSIS_SAMPLE_ROWS: integer(10_000, { min: 1, max: 1_000_000 }),
  QUEUE_LOCK_DURATION_MS: integer(30_000, { min: 500 }),
  QUEUE_STALLED_INTERVAL_MS: integer(30_000, { min: 500 }),

  JWT_ALGORITHM: oneOf(JWT_ALGORITHMS, 'HS256'),
  JWT_SECRET: optionalText(),
  JWT_JWKS_URL: url(['http', 'https']),
  // Accepts the one-line form with literal \n, as env files and CI secrets often carry it.
  JWT_PRIVATE_KEY: optionalText().transform((pem) => pem?.replace(/\\n/g, '\n')),
  JWT_KEY_ID: optionalText(),
  JWT_ISSUER: text('lead-scoring'),
  JWT_AUDIENCE: text('lead-scoring-api'),
  ACCESS_TOKEN_TTL_SECONDS: integer(900, { min: 30, max: 86_400 }),
  REFRESH_TOKEN_TTL_SECONDS: integer(30 * 86_400, { min: 300 }),
  REGISTRATION_ENABLED: flag(true),
  SECRETS_ENCRYPTION_KEYS: secretKeys(),

  RATE_LIMIT_USER_PER_MINUTE: integer(60, { min: 1 }),
  RATE_LIMIT_IP_PER_MINUTE: integer(600, { min: 1 }),
  LOGIN_MAX_ATTEMPTS: integer(5, { min: 1 }),
  LOGIN_WINDOW_SECONDS: integer(900, { min: 1 }),
  REGISTER_MAX_PER_EMAIL: integer(3, { min: 1 }),
  REGISTER_MAX_PER_IP: integer(20, { min: 1 }),

  // MongoDB refuses documents nested deeper than 100 levels; attributes sit a level down.
  JSON_MAX_DEPTH: integer(10, { min: 1, max: 90 }),
  JSON_MAX_KEYS_PER_OBJECT: integer(100, { min: 1 }),
  JSON_MAX_TOTAL_KEYS: integer(1000, { min: 1 }),
  JSON_MAX_KEY_LENGTH: integer(100, { min: 1, max: 1024 }),
  JSON_MAX_STRING_LENGTH: integer(5000, { min: 1 }),
  JSON_MAX_BYTES: integer(16_384, { min: 64 }),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: integer(20, { min: 1 }),
  WS_MAX_SOCKETS_PER_USER: integer(10, { min: 1 }),
  LOCAL_ENGINE_WATCH_INTERVAL_MS: integer(5000, { min: 100 }),
  LOCAL_ENGINE_MAX_RESTARTS: integer(5, { min: 0 }),

  GRAPHQL_MAX_DEPTH: integer(8, { min: 2, max: 50 }),
  GRAPHQL_MAX_COMPLEXITY: integer(1000, { min: 10 }),
  GRAPHQL_MAX_ALIASES: integer(15, { min: 0 }),
  GRAPHQL_MAX_BATCH: integer(5, { min: 1, max: 50 }),
  GRAPHQL_COMPILED_EXECUTION: flag(true),

  OPENAI_API_KEY: optionalText(),
  OPENAI_BASE_URL: url(['http', 'https']),
  OPENAI_MODEL: text('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: integer(20_000, { min: 100, max: 300_000 }),
  OPENAI_MAX_RETRIES: integer(3, { min: 0, max: 10 }),
  AI_REQUESTS_PER_MINUTE: integer(60, { min: 1, max: 100_000 }),
  AI_TOKENS_PER_MINUTE: integer(100_000, { min: 100, max: 100_000_000 }),
  AI_BREAKER_FAILURES: integer(5, { min: 1, max: 1000 }),
  AI_BREAKER_COOLDOWN_MS: integer(30_000, { min: 100, max: 3_600_000 }),

  // Unset: http:// allowed outside production only.
  WEBHOOK_ALLOW_HTTP: fromEnv(
    z
      .stringbool({
        truthy: ['true', '1', 'yes'],
        falsy: ['false', '0', 'no'],
        error: 'must be true or false',
      })
      .optional(),
  ),
  WEBHOOK_ALLOWED_PRIVATE_HOSTS: webhookAllowedHosts(),
  WEBHOOK_TIMEOUT_MS: integer(10_000, { min: 100, max: 60_000 }),
  WEBHOOK_RETRY_BASE_DELAY_MS: integer(30_000, { min: 10, max: 3_600_000 }),
  WEBHOOK_RETRY_MAX_DELAY_MS: integer(3_600_000, { min: 10, max: 86_400_000 }),
  WEBHOOK_RETRY_WINDOW_MS: integer(86_400_000, { min: 100, max: 7 * 86_400_000 }),
  WEBHOOK_CONCURRENCY: integer(10, { min: 1, max: 100 }),
  WEBHOOK_DELIVERY_RETENTION_DAYS: integer(30, { min: 1, max: 365 }),
  WEBHOOK_AUTO_PAUSE_AFTER_DEAD: integer(10, { min: 0, max: 100_000 }),
});

export type EnvValues = z.output<typeof envSchema>;
