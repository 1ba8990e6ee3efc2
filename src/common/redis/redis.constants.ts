/** General-purpose ioredis client (commands, health, rate limits). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
/** Redis-backed GraphQL PubSub shared by every api and worker process. */
export const PUB_SUB = Symbol('PUB_SUB');
