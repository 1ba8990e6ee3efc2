import type { AppConfig } from './app-config';
import type { EnvValues } from './env-schema';

/** Arranges the validated variables into the shape the application reads. */
export function toAppConfig(env: EnvValues): AppConfig {
  return {
    env: env.NODE_ENV,
    role: env.APP_ROLE,
    instanceId: env.INSTANCE_ID,
    http: {
      host: env.HOST,
      port: env.PORT,
      bodyLimit: env.HTTP_BODY_LIMIT,
      trustProxy: env.TRUST_PROXY,
    },
    mongo: {
      uri: env.MONGODB_URI,
      localEngine: env.LOCAL_MONGO_ENGINE,
      serverSelectionTimeoutMs: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    dataDir: env.DATA_DIR,
    dashboardDir: env.DASHBOARD_DIR,
    demoData: env.DEMO_DATA,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
    slowOperationMs: env.SLOW_OPERATION_MS,
    scoring: {
      weights: env.LEAD_SCORE_WEIGHTS,
      caps: env.LEAD_SCORE_CAPS,
      halfLifeDays: env.LEAD_SCORE_DECAY_HALFLIFE_DAYS,
      freshnessMinutes: env.SCORE_FRESHNESS_MINUTES,
      refreshBudgetMs: env.SCORING_REFRESH_BUDGET_MS,
      batchChunkSize: env.SCORING_BATCH_CHUNK_SIZE,
      batchChunkDelayMs: env.SCORING_BATCH_CHUNK_DELAY_MS,
      rankingIndex: env.RANKING_INDEX,
    },
    training: { minPerClass: env.TRAINING_MIN_PER_CLASS },
    datasets: {
      inlineMaxRows: env.DATASET_INLINE_MAX_ROWS,
      analysisSampleRows: env.DATASET_ANALYSIS_SAMPLE_ROWS,
    },
    queues: {
      lockDurationMs: env.QUEUE_LOCK_DURATION_MS,
      stalledIntervalMs: env.QUEUE_STALLED_INTERVAL_MS,
    },
    auth: {
      jwtAlgorithm: env.JWT_ALGORITHM,
      jwtSecret: env.JWT_SECRET,
      jwtSecretIsEphemeral: false,
      jwksUrl: env.JWT_JWKS_URL,
      jwtPrivateKey: env.JWT_PRIVATE_KEY,
      jwtKeyId: env.JWT_KEY_ID,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      registrationEnabled: env.REGISTRATION_ENABLED,
    },
    secretKeys: env.SECRETS_ENCRYPTION_KEYS,
    rateLimit: {
      userPerMinute: env.RATE_LIMIT_USER_PER_MINUTE,
      ipPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
      loginMaxAttempts: env.LOGIN_MAX_ATTEMPTS,
      loginWindowSeconds: env.LOGIN_WINDOW_SECONDS,
      registerMaxPerEmail: env.REGISTER_MAX_PER_EMAIL,
      registerMaxPerIp: env.REGISTER_MAX_PER_IP,
    },
    jsonInput: {
      maxDepth: env.JSON_MAX_DEPTH,
      maxKeysPerObject: env.JSON_MAX_KEYS_PER_OBJECT,
      maxTotalKeys: env.JSON_MAX_TOTAL_KEYS,
      maxKeyLength: env.JSON_MAX_KEY_LENGTH,
      maxStringLength: env.JSON_MAX_STRING_LENGTH,
      maxBytes: env.JSON_MAX_BYTES,
    },
    websocket: {
      maxSubscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSocketsPerUser: env.WS_MAX_SOCKETS_PER_USER,
    },
    localEngines: {
      watchIntervalMs: env.LOCAL_ENGINE_WATCH_INTERVAL_MS,
      maxRestarts: env.LOCAL_ENGINE_MAX_RESTARTS,
    },
    graphql: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxComplexity: env.GRAPHQL_MAX_COMPLEXITY,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxBatch: env.GRAPHQL_MAX_BATCH,
    },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
      maxRetries: env.OPENAI_MAX_RETRIES,
      requestsPerMinute: env.AI_REQUESTS_PER_MINUTE,
      tokensPerMinute: env.AI_TOKENS_PER_MINUTE,
      breakerFailures: env.AI_BREAKER_FAILURES,
      breakerCooldownMs: env.AI_BREAKER_COOLDOWN_MS,
    },
  };
}
