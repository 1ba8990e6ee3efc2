import { randomBytes } from 'node:crypto';

import { AppConfig } from './app-config';
import { ConfigValidationError } from './config-validation.error';
import { crossFieldProblems } from './cross-field-rules';
import { Env, envSchema } from './env-schema';
import { phraseProblem, problemsFromIssues } from './problems';
import { readSecretFiles } from './secret-files';
import { toAppConfig } from './to-app-config';

/**
 * Validates the environment once at boot. Throws ConfigValidationError naming every bad variable;
 * otherwise returns the typed configuration with defaults applied.
 *
 * Steps: `<NAME>_FILE` secrets are read into their variables, the schema (env-schema.ts) checks
 * each variable, the cross-field rules check the combinations, and every problem found by any
 * step is listed in one error.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const files = readSecretFiles(env);
  const parsed = envSchema.safeParse(files.env);
  const found = [
    ...(parsed.success ? [] : problemsFromIssues(parsed.error.issues)),
    ...crossFieldProblems(files.env),
  ];
  const problems = [
    ...files.problems,
    // A variable whose _FILE failed has its problem already; "required" would only repeat it.
    ...found
      .filter((problem) => !files.unusable.has(problem.variable))
      .map((problem) => phraseProblem(problem, files.env, files.readFromFile)),
  ];
  if (problems.length > 0 || !parsed.success) throw new ConfigValidationError(problems);
  return withEphemeralJwtSecret(toAppConfig(parsed.data));
}

/** Without JWT_SECRET outside production: a random secret, valid as long as the process lives. */
function withEphemeralJwtSecret(config: AppConfig): AppConfig {
  if (config.auth.jwtAlgorithm !== 'HS256' || config.auth.jwtSecret !== undefined) return config;
  return {
    ...config,
    auth: {
      ...config.auth,
      jwtSecret: randomBytes(48).toString('base64url'),
      jwtSecretIsEphemeral: true,
    },
  };
}
