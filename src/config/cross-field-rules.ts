import type { z } from 'zod';

import { Env, envSchema } from './env-schema';
import type { Problem } from './problems';

type Report = (variable: string, message: string) => void;
type Rule = (env: Env) => Problem[];

/**
 * A rule over several variables. It runs only when every variable it reads is valid on its own:
 * an invalid one is already a problem, and judging the others against a guess would add noise.
 * Small rules (each reading what it needs) keep the other rules running meanwhile.
 */
function rule<T extends z.ZodType>(
  reads: T,
  check: (values: z.output<T>, report: Report) => void,
): Rule {
  return (env) => {
    const parsed = reads.safeParse(env);
    if (!parsed.success) return [];
    const problems: Problem[] = [];
    check(parsed.data, (variable, message) => problems.push({ variable, message }));
    return problems;
  };
}

const RULES: readonly Rule[] = [
  rule(envSchema.pick({ JWT_ALGORITHM: true, JWT_SECRET: true }), (env, report) => {
    const secret = env.JWT_SECRET;
    if (env.JWT_ALGORITHM === 'HS256' && secret !== undefined && Buffer.byteLength(secret) < 32)
      report('JWT_SECRET', 'must be at least 32 bytes for HS256');
  }),
  // Outside production a missing secret is replaced by a random one (tokens die with the process).
  rule(envSchema.pick({ NODE_ENV: true, JWT_ALGORITHM: true, JWT_SECRET: true }), (env, report) => {
    if (env.NODE_ENV === 'production' && env.JWT_ALGORITHM === 'HS256' && !env.JWT_SECRET)
      report('JWT_SECRET', 'required with JWT_ALGORITHM=HS256 when NODE_ENV=production');
  }),
  rule(envSchema.pick({ JWT_ALGORITHM: true, JWT_JWKS_URL: true }), (env, report) => {
    if (env.JWT_ALGORITHM === 'RS256' && env.JWT_JWKS_URL === undefined)
      report('JWT_JWKS_URL', 'required with JWT_ALGORITHM=RS256');
  }),
  rule(envSchema.pick({ JWT_ALGORITHM: true, JWT_PRIVATE_KEY: true }), (env, report) => {
    const pem = env.JWT_PRIVATE_KEY;
    if (env.JWT_ALGORITHM === 'RS256' && pem !== undefined && !pem.includes('PRIVATE KEY'))
      report('JWT_PRIVATE_KEY', 'must be a PEM private key');
  }),
  rule(
    envSchema.pick({ JWT_ALGORITHM: true, JWT_PRIVATE_KEY: true, JWT_KEY_ID: true }),
    (env, report) => {
      if (env.JWT_ALGORITHM === 'RS256' && env.JWT_PRIVATE_KEY && env.JWT_KEY_ID === undefined)
        report(
          'JWT_KEY_ID',
          'required with JWT_PRIVATE_KEY, so verifiers can pick the key from the JWKS',
        );
    },
  ),
  // Local engines are a convenience for development and tests, never for production.
  rule(envSchema.pick({ NODE_ENV: true, MONGODB_URI: true }), (env, report) => {
    if (env.NODE_ENV === 'production' && env.MONGODB_URI === undefined)
      report('MONGODB_URI', 'required when NODE_ENV=production');
  }),
  rule(envSchema.pick({ NODE_ENV: true, REDIS_URL: true }), (env, report) => {
    if (env.NODE_ENV === 'production' && env.REDIS_URL === undefined)
      report('REDIS_URL', 'required when NODE_ENV=production');
  }),
  // A random key would leave sealed webhook secrets unreadable after a restart.
  rule(envSchema.pick({ NODE_ENV: true, SECRETS_ENCRYPTION_KEYS: true }), (env, report) => {
    if (env.NODE_ENV === 'production' && env.SECRETS_ENCRYPTION_KEYS.ephemeral)
      report('SECRETS_ENCRYPTION_KEYS', 'required when NODE_ENV=production');
  }),
  rule(
    envSchema.pick({ SHUTDOWN_DRAIN_DELAY_MS: true, SHUTDOWN_TIMEOUT_MS: true }),
    ({ SHUTDOWN_DRAIN_DELAY_MS: drain, SHUTDOWN_TIMEOUT_MS: timeout }, report) => {
      // Both count from the signal: a drain as long as the timeout leaves no time to close.
      if (drain > 0 && timeout > 0 && drain >= timeout)
        report(
          'SHUTDOWN_DRAIN_DELAY_MS',
          `must be less than SHUTDOWN_TIMEOUT_MS (${timeout}), or the shutdown times out while draining`,
        );
    },
  ),
  rule(
    envSchema.pick({ WEBHOOK_RETRY_BASE_DELAY_MS: true, WEBHOOK_RETRY_MAX_DELAY_MS: true }),
    ({ WEBHOOK_RETRY_BASE_DELAY_MS: base, WEBHOOK_RETRY_MAX_DELAY_MS: max }, report) => {
      if (max < base)
        report(
          'WEBHOOK_RETRY_MAX_DELAY_MS',
          `must be at least WEBHOOK_RETRY_BASE_DELAY_MS (${base})`,
        );
    },
  ),
];

/** The problems of every rule that involves several variables, in a stable order. */
export function crossFieldProblems(env: Env): Problem[] {
  return RULES.flatMap((check) => check(env));
}
