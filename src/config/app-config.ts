export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOCAL_MONGO_ENGINES = ['auto', 'mongod', 'java'] as const;
export type LocalMongoEngine = (typeof LOCAL_MONGO_ENGINES)[number];

export const JWT_ALGORITHMS = ['HS256', 'RS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const RANKING_INDEXES = ['redis', 'off'] as const;

export interface JsonInputLimits {
  /** Deepest nesting of objects and arrays (the value itself is level 1). */
  readonly maxDepth: number;
  /** Keys of one object, or items of one array. */
  readonly maxKeysPerObject: number;
  /** Keys and array items in the whole value. */
  readonly maxTotalKeys: number;
  readonly maxKeyLength: number;
  readonly maxStringLength: number;
  /** Size of the value serialized as JSON, in bytes. */
  readonly maxBytes: number;
}

/** Three numbers, in the order emailOpens, websiteVisits, timeSpent. */
export type FeatureTriple = readonly [number, number, number];

/**
 * The validated configuration of one process. Built once by `loadConfig` from the environment;
 * everything else receives it through the `AppConfig` provider and never reads `process.env`.
 */
export interface AppConfig {
  readonly env: NodeEnv;
  readonly role: AppRole;
  /** Distinguishes processes in logs, metrics and instance events. */
  readonly instanceId: string;
  readonly http: {
    readonly host: string;
    /** 0 picks a free port (tests). */
    readonly port: number;
    readonly bodyLimit: string;
    /**
     * Express's 'trust proxy' setting: which peers may set X-Forwarded-For (the client address
     * rate limits key on). `true`/`false`, a hop count, or comma-separated addresses, subnets and
     * the presets loopback, linklocal, uniquelocal.
     */
    readonly trustProxy: boolean | number | string;
  };
  readonly mongo: {
    /** Absent: the project starts a local engine (never in production). */
    readonly uri: string | undefined;
    readonly localEngine: LocalMongoEngine;
    readonly serverSelectionTimeoutMs: number;
  };
  readonly redis: {
    /** Absent: the project starts a local redis-server (never in production). */
    readonly url: string | undefined;
    /** Prefix of every Redis key and channel this deployment owns (queues, pubsub, limits). */
    readonly prefix: string;
  };
  readonly dataDir: string;
  /** The built dashboard (client/dist), served at `/` by api processes when it holds index.html. */
  readonly dashboardDir: string;
  /** Seed a demo tenant at start when the deployment has none (npm start). */
  readonly demoData: boolean;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /**
   * On SIGTERM, how long readiness answers 503 while the server still takes connections, so load
   * balancers stop routing here before it stops listening. Less than shutdownTimeoutMs.
   */
  readonly shutdownDrainDelayMs: number;
  /**
   * MongoDB commands and Redis scripts that take at least this long are logged (`SlowOperation`)
   * and counted; 0 logs every one (tests).
   */
  readonly slowOperationMs: number;
  readonly scoring: {
    readonly weights: FeatureTriple;
    readonly caps: FeatureTriple;
    readonly halfLifeDays: number;
    readonly freshnessMinutes: number;
    /** A lead's trend compares its model score now with the one this many days ago. */
    readonly trendWindowDays: number;
    /** Points the model score must have moved over the window to be IMPROVING or DECLINING. */
    readonly trendMinChange: number;
    /**
     * How long a read with `refresh` waits for stale scores to be recomputed before it answers
     * with the cached ones, flagged `degraded` (the recomputation carries on).
     */
    readonly refreshBudgetMs: number;
    /** Leads per chunk of a batch rescoring job (one bulk write each). */
    readonly batchChunkSize: number;
    /** Pause between chunks, to bound the load a big job puts on the database. */
    readonly batchChunkDelayMs: number;
    /**
     * `redis`: the ranked list is served from the Redis ranking index (about 1 KB of Redis memory
     * per lead); `off`: from MongoDB's indexes alone (for a real MongoDB and a small Redis).
     */
    readonly rankingIndex: (typeof RANKING_INDEXES)[number];
  };
  readonly ingestion: {
    /**
     * Events a process holds acknowledged but not yet applied (`acknowledge: LOGGED`); a call that
     * would pass it waits for room, so a sustained flow runs at the pace of the apply. At most
     * 50,000: what the apply gets through (~2,000 events/s here) within the sweeper's 60 s grace
     * for events left unapplied.
     */
    readonly backlogMax: number;
  };
  readonly training: {
    /** Converted and lost leads a dataset version needs before a model is trained on it (per tenant overridable). */
    readonly minPerClass: number;
  };
  readonly datasets: {
    /**
     * A dataset version of at most this many rows is built within the call; a larger one by a
     * job on the `datasets` queue, with progress.
     */
    readonly inlineMaxRows: number;
    /**
     * Rows previewTransformation fits on and compareDatasetVersions computes types and PSI on: all
     * of them up to this many, else a sample of this many chosen by a hash of the lead id (the
     * same leads on both sides of a comparison), so a big tenant costs bounded memory.
     */
    readonly analysisSampleRows: number;
  };
  readonly queues: {
    /** How long a worker's lock on a running job lasts; a dead worker's job is retried after it. */
    readonly lockDurationMs: number;
    /** How often workers look for jobs whose worker died. */
    readonly stalledIntervalMs: number;
  };
  readonly auth: {
    readonly jwtAlgorithm: JwtAlgorithm;
    /** HS256 signing and verification key (at least 32 bytes). */
    readonly jwtSecret: string | undefined;
    /** True when no JWT_SECRET was given outside production: a random one lives as long as the process. */
    readonly jwtSecretIsEphemeral: boolean;
    /** RS256: where the public keys are published (verification). */
    readonly jwksUrl: string | undefined;
    /** RS256: PEM private key to sign our own tokens; without it login is unavailable. */
    readonly jwtPrivateKey: string | undefined;
    readonly jwtKeyId: string | undefined;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly registrationEnabled: boolean;
  };
  /**
   * AES-256-GCM keys that seal secrets at rest (webhook secrets). The first seals; all open, so a
   * rotation adds the new key first and keeps the old ones until every secret is sealed anew.
   */
  readonly secretKeys: {
    readonly keys: readonly { readonly id: string; readonly key: Buffer }[];
    /** True when none was configured outside production: a random key lives as long as the process. */
    readonly ephemeral: boolean;
  };
  readonly rateLimit: {
    readonly userPerMinute: number;
    readonly ipPerMinute: number;
    readonly loginMaxAttempts: number;
    readonly loginWindowSeconds: number;
    /** `register` attempts per email address in the login window (account enumeration). */
    readonly registerMaxPerEmail: number;
    /** `register` attempts per client address in the login window. */
    readonly registerMaxPerIp: number;
  };
  /** Bounds of free-form JSON input (lead `attributes`, event `metadata`), on every ingestion path. */
  readonly jsonInput: JsonInputLimits;
  readonly websocket: {
    /** Operations (subscriptions) one graphql-ws socket may hold open at once. */
    readonly maxSubscriptionsPerSocket: number;
    /** graphql-ws sockets one user may hold open at once, across all api processes. */
    readonly maxSocketsPerUser: number;
  };
  readonly localEngines: {
    /** How often the process that started a local engine checks it with a real write and read. */
    readonly watchIntervalMs: number;
    /** Restarts of a broken or dead local engine before the supervisor gives up. */
    readonly maxRestarts: number;
  };
  readonly graphql: {
    readonly maxDepth: number;
    readonly maxComplexity: number;
    readonly maxAliases: number;
    readonly maxBatch: number;
    /** Repeated queries and mutations over HTTP run compiled (graphql-jit), not by graphql-js. */
    readonly compiledExecution: boolean;
  };
  readonly openai: {
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly model: string;
    /** One call's limit, retries not included. */
    readonly timeoutMs: number;
    /** Retries of a call on 429, 5xx, timeouts and connection errors (backoff with jitter). */
    readonly maxRetries: number;
    /** The deployment's budget for the `ai` queue (Bull's limiter), over every worker. */
    readonly requestsPerMinute: number;
    readonly tokensPerMinute: number;
    /** Consecutive failed calls that open the shared circuit breaker, and how long it stays open. */
    readonly breakerFailures: number;
    readonly breakerCooldownMs: number;
  };
  /** Outbound webhooks (src/webhooks): SSRF rules, delivery timeout, retries, retention. */
  readonly webhooks: {
    /** http:// URLs accepted (WEBHOOK_ALLOW_HTTP; unset: outside production only). */
    readonly allowHttp: boolean;
    /**
     * Hostnames, addresses and CIDR ranges a webhook may reach although they are private
     * (loopback, RFC 1918, link-local, unique-local…): on-premises receivers, tests. Lower case.
     */
    readonly allowedPrivateHosts: readonly string[];
    /** One delivery attempt's limit (connect, send, answer). */
    readonly timeoutMs: number;
    /** Retries wait about base·2^(n−1) (equal jitter), at most maxDelay, for at most window. */
    readonly retryBaseDelayMs: number;
    readonly retryMaxDelayMs: number;
    /** From the first attempt: an attempt that would start later is not made (dead-lettered). */
    readonly retryWindowMs: number;
    /** Deliveries one worker process sends at once. */
    readonly concurrency: number;
    /** Delivery log entries older than this are deleted by the workers. */
    readonly deliveryRetentionDays: number;
    /** Dead-lettered deliveries in a row that pause a subscription (0: never). */
    readonly autoPauseAfterDeadLetters: number;
  };
}

/** An AppConfig whose engines are known: what the Nest application is built from. */
export type ConnectedAppConfig = AppConfig & {
  readonly mongo: AppConfig['mongo'] & { readonly uri: string };
  readonly redis: AppConfig['redis'] & { readonly url: string };
};

export const APP_CONFIG = Symbol('APP_CONFIG');
